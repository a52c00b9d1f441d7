import { readdirSync, readFileSync } from 'node:fs';

/** The pids of a process's children, from /proc (Linux); none when it is gone. */
export function childPids(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((t) =>
      readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8')
        .trim()
        .split(/\s+/)
        .filter((c) => c !== '')
        .map(Number),
    );
  } catch {
    return [];
  }
}
