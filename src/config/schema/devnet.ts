/** `devnet`: free-form facts written by `cascade-monitor devnet --out` (seed, deployer, every address). */
import { z } from "zod";

export const devnetSectionSchema = z.record(z.string(), z.unknown());
