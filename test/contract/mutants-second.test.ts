/** The second share of the broken emulators the contract must catch (mutant-checks.ts). */
import { checkMutants } from "./mutant-checks.js";

checkMutants(1);
