/**
 * Headless Chromium for page tests: Debian's `chromium` driven by playwright-core, with a fresh
 * profile directory per launch and every background network feature off (the page is loopback).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";
import { requireProgram } from "./requireProgram.js";

export interface TestBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export async function launchChromium(viewport = { width: 1440, height: 900 }): Promise<TestBrowser> {
  const executablePath = requireProgram(["chromium"], "chromium");
  const profile = await mkdtemp(join(tmpdir(), "cascade-chromium-"));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: ARGS,
      viewport,
      deviceScaleFactor: 1,
      timeout: 30_000,
    });
    return {
      context,
      close: async () => {
        await context.close();
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
}
