import '@fontsource/noto-sans/latin-400.css';
import '@fontsource/noto-sans/latin-ext-400.css';
// The whole simplified-Chinese set in one file (no unicode-range split): map labels are drawn on a
// canvas, which uses only fonts already loaded, so every ideograph must come with the first load.
import '@fontsource/noto-sans-sc/chinese-simplified-400.css';

let ready: Promise<void> | undefined;

/**
 * Resolves when the label fonts are loaded. MapLibre draws each glyph once and keeps it, so the label
 * layers must not be added before: their labels would be drawn in a fallback font, or as boxes where the
 * system has no CJK font (headless Chromium, many intranet PCs).
 */
export function labelFontsReady(): Promise<void> {
  ready ??= Promise.all([
    document.fonts.load('24px "Noto Sans"', 'ParkAtlas'),
    document.fonts.load('24px "Noto Sans SC"', '园区资源一张图'),
  ]).then(
    () => performance.mark('parkatlas:fonts-ready'),
    () => undefined,
  ).then(() => undefined);
  return ready;
}
