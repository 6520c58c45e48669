/** Progress on stderr: a bar on a terminal, a line each 10% otherwise. */
export function progressBar(total: number, enabled: boolean) {
  const tty = process.stderr.isTTY === true;
  const t0 = performance.now();
  let lastDraw = 0;
  let lastDecile = -1;
  return {
    update(done: number, rows: number) {
      if (!enabled) return;
      const t = performance.now();
      const frac = total > 0 ? done / total : 1;
      const secs = (t - t0) / 1000;
      const rate = secs > 0 ? rows / secs : 0;
      const eta = frac > 0 ? (secs / frac) * (1 - frac) : 0;
      const text = `${(frac * 100).toFixed(0).padStart(3)}% ${done.toLocaleString('en-GB')}/${total.toLocaleString('en-GB')} quit dates, ${rows.toLocaleString('en-GB')} rows, ${Math.round(rate).toLocaleString('en-GB')} rows/s, ${secs.toFixed(0)} s, about ${eta.toFixed(0)} s left`;
      if (tty) {
        if (t - lastDraw < 200 && done < total) return;
        lastDraw = t;
        const width = 30;
        const full = Math.round(frac * width);
        process.stderr.write(`\r[generate] ${'█'.repeat(full)}${'░'.repeat(width - full)} ${text}  `);
      } else {
        const decile = Math.floor(frac * 10);
        if (decile === lastDecile) return;
        lastDecile = decile;
        process.stderr.write(`[generate] ${text}\n`);
      }
    },
    done() {
      if (enabled && tty) process.stderr.write('\n');
    },
  };
}
