// Runs a refresh now and then every `intervalMs` after the previous one ends (never two at once); pauses
// while the tab is hidden and refreshes as soon as it is shown again.

export function startPolling(refresh: () => Promise<void>, intervalMs: number): void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running = false;
  const run = async () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (running) return;
    running = true;
    try {
      await refresh();
    } finally {
      running = false;
      if (!document.hidden) timer = setTimeout(run, intervalMs);
    }
  };
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && timer === null && !running) void run();
  });
  void run();
}
