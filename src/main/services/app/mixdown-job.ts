import type { Job } from '../../../shared/domain';
import type { JobKind } from '../jobs/job-queue';
import { getEpisode } from '../library/episodes';
import { type MixdownInput, mixdownEdit, renderMixdown } from '../mixdown/render-mixdown';
import { defaultEpisodeProcessing } from './process-job';
import type { Services } from './services';

export function mixdownJobKind(services: Services): JobKind<MixdownInput> {
  return {
    kind: 'mixdown',
    onePer: 'episode',
    run: async ({ input, signal, progress }) => {
      await renderMixdown({ ...services, defaultProcessing: defaultEpisodeProcessing }, input, {
        signal,
        progress,
      });
    },
  };
}

/**
 * Queues a mixdown of the episode's edit as it will be when the job runs (and its settings then,
 * when mastering). An empty edit is refused at once; so is a second mixdown of the same episode
 * while one is queued or running.
 */
export function enqueueMixdown(services: Services, input: MixdownInput): Job {
  const { db, jobs } = services;
  const episode = getEpisode(db, input.episodeId);
  mixdownEdit(db, input.episodeId);
  const title = input.master ? `Render and master ${episode.title}` : `Render ${episode.title}`;
  return jobs.enqueue('mixdown', input, title, input.episodeId);
}
