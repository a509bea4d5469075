import { client } from '../../client';
import { useStudio } from '../../state/store';

export function JobsPanel() {
  const { jobs, loadJobs, notify } = useStudio();
  const run = (work: Promise<unknown>) =>
    work
      .then(loadJobs)
      .catch((e: unknown) => notify({ kind: 'error', message: (e as Error).message }));
  return (
    <aside className="panel" aria-labelledby="jobs-heading">
      <header>
        <h2 id="jobs-heading">Jobs</h2>
        <button type="button" onClick={() => run(client.request('jobs.clearFinished', {}))}>
          Clear finished
        </button>
      </header>
      {jobs.length === 0 && <p className="hint">Imports and other long work appear here.</p>}
      <ul className="jobs">
        {jobs.map((job) => (
          <li key={job.id} className={`job job-${job.status}`} data-testid="job">
            <div className="job-title">{job.title}</div>
            <div className="job-stage">
              {job.status === 'running' ? job.stage : job.status}
              {job.error && <span className="job-error"> — {job.error.message}</span>}
            </div>
            {(job.status === 'running' || job.status === 'queued') && (
              <>
                <progress
                  max={1}
                  value={job.progress ?? undefined}
                  aria-label={`${job.title} progress`}
                />
                <button
                  type="button"
                  onClick={() => run(client.request('jobs.cancel', { id: job.id }))}
                >
                  Cancel
                </button>
              </>
            )}
            {(job.status === 'failed' ||
              job.status === 'cancelled' ||
              job.status === 'interrupted') && (
              <button
                type="button"
                onClick={() => run(client.request('jobs.retry', { id: job.id }))}
              >
                Retry
              </button>
            )}
          </li>
        ))}
      </ul>
    </aside>
  );
}
