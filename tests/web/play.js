// Opens player.html in headless Chromium (Debian's, through playwright-core) and prints window.result as
// one JSON line once the video ended, failed, or the time limit passed.
//   node play.js <page url> <timeout ms>
"use strict";
const { chromium } = require("playwright-core");

async function main() {
  const [url, timeoutText] = process.argv.slice(2);
  const timeout = Number(timeoutText || 30000);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required"],
  });
  const console_lines = [];
  try {
    const page = await browser.newPage();
    page.on("console", m => { if (m.type() === "error") console_lines.push(m.text()); });
    page.on("pageerror", e => console_lines.push(`page error: ${e.message}`));
    await page.goto(url);
    let result;
    try {
      await page.waitForFunction(() => window.result !== undefined, null, { timeout, polling: 100 });
      result = await page.evaluate(() => window.result);
    } catch (e) {
      result = await page.evaluate(() => {
        const v = document.getElementById("video");
        const q = v.getVideoPlaybackQuality();
        // What the page gathered so far (a live run's latency samples, its stalls) says why it never finished.
        const gathered = typeof state === "object" ? state : {};
        return Object.assign({}, gathered, {
          reason: "timeout", ended: v.ended, duration: v.duration, currentTime: v.currentTime,
          decodedFrames: q.totalVideoFrames,
          errors: (gathered.errors || []).concat(["timed out before the page finished"]) });
      });
    }
    result.console = console_lines;
    process.stdout.write(JSON.stringify(result) + "\n");
  } finally {
    await browser.close();
  }
}

main().catch(e => {
  process.stdout.write(JSON.stringify({ reason: "driver failure", errors: [String(e)] }) + "\n");
  process.exit(1);
});
