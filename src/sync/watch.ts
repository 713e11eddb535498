/**
 * Watching entity files for `pgshift sync --watch`: one non-recursive `fs.watch` per folder (the config
 * file's and each entity file's), because editors save by writing a new file and renaming it over the
 * old one, which ends a watch on the file itself. Only source files count; a burst of events (a save,
 * a branch switch) becomes one call after `debounceMs` of quiet.
 */
import { watch, type FSWatcher } from 'node:fs';

const SOURCE_FILE = /\.(?:[cm]?[jt]s|json)$/;

export interface FolderWatcher {
  /** Watches exactly these folders from now on (new ones added, gone ones closed). */
  setFolders(folders: readonly string[]): void;
  close(): void;
}

export function watchFolders(onChange: (file: string) => void, debounceMs = 300): FolderWatcher {
  const watchers = new Map<string, FSWatcher>();
  let timer: NodeJS.Timeout | undefined;
  let lastFile = '';
  const fire = (file: string) => {
    lastFile = file;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => { timer = undefined; onChange(lastFile); }, debounceMs);
  };
  return {
    setFolders(folders) {
      for (const [folder, watcher] of watchers) {
        if (!folders.includes(folder)) { watcher.close(); watchers.delete(folder); }
      }
      for (const folder of folders) {
        if (watchers.has(folder)) continue;
        try {
          const watcher = watch(folder, { persistent: true }, (_event, name) => {
            const file = name?.toString() ?? '';
            if (SOURCE_FILE.test(file)) fire(`${folder}/${file}`);
          });
          // A folder that disappears (a branch switch) ends its watch; the next sync's folders replace it.
          watcher.on('error', () => { watcher.close(); watchers.delete(folder); });
          watchers.set(folder, watcher);
        } catch {
          // Not there (yet): nothing to watch; the next successful load names the folders again.
        }
      }
    },
    close() {
      if (timer) clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
