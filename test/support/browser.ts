import { Browser, chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); .ci/run installs it when missing. */
const CHROMIUM = '/usr/bin/chromium';

/**
 * Headless Chromium for page tests. Playwright gives each launch a fresh temporary profile (user-data-dir), removed
 * on close; the flags keep it from reaching beyond loopback (no sync, component updates or background requests)
 * and let it run as root in a container (no sandbox) without a GPU.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
