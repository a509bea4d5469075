/**
 * Versioned schema: migration N brings the database from user_version N-1 to N. Append only; a
 * released migration is never edited.
 */
export const migrations: readonly string[] = [
  `
  CREATE TABLE shows (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    author TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT 'en',
    category TEXT NOT NULL DEFAULT '',
    explicit INTEGER NOT NULL DEFAULT 0,
    artwork_asset_id TEXT,
    position INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
  );
  CREATE TABLE episodes (
    id TEXT PRIMARY KEY,
    show_id TEXT NOT NULL REFERENCES shows(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    number INTEGER,
    season INTEGER,
    type TEXT NOT NULL DEFAULT 'full' CHECK (type IN ('full', 'trailer', 'bonus')),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'editing', 'ready', 'published')),
    notes TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
  );
  CREATE INDEX episodes_by_show ON episodes(show_id, position);
  CREATE TABLE assets (
    id TEXT PRIMARY KEY,
    episode_id TEXT REFERENCES episodes(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('import', 'recording', 'processed', 'render', 'artwork')),
    original_name TEXT NOT NULL,
    path TEXT NOT NULL,
    working_path TEXT,
    peaks_path TEXT,
    format TEXT NOT NULL,
    sample_rate INTEGER NOT NULL,
    channels INTEGER NOT NULL,
    duration_samples INTEGER NOT NULL,
    size_bytes INTEGER NOT NULL,
    integrated_lufs REAL,
    lra REAL NOT NULL DEFAULT 0,
    true_peak_dbtp REAL,
    sample_peak_dbfs REAL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE tracks (
    id TEXT PRIMARY KEY,
    episode_id TEXT NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    asset_id TEXT REFERENCES assets(id) ON DELETE SET NULL,
    position INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    deleted_at TEXT
  );
  CREATE INDEX tracks_by_episode ON tracks(episode_id, position);
  CREATE TABLE trash (
    id TEXT PRIMARY KEY,
    entity TEXT NOT NULL CHECK (entity IN ('show', 'episode', 'track')),
    entity_id TEXT NOT NULL,
    title TEXT NOT NULL,
    parent_title TEXT,
    deleted_at TEXT NOT NULL
  );
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    title TEXT NOT NULL,
    input_json TEXT NOT NULL,
    progress REAL,
    stage TEXT NOT NULL DEFAULT '',
    episode_id TEXT,
    error_json TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX jobs_by_created ON jobs(created_at);
  `,
  // 2: processing. An episode's settings (EpisodeProcessing as JSON; NULL until first saved, read
  // as the Podcast preset). A processed version is an asset made from another one (the report
  // beside it); the track points at its latest processed version. Jobs name the track they work on.
  `
  ALTER TABLE episodes ADD COLUMN processing_json TEXT;
  ALTER TABLE assets ADD COLUMN source_asset_id TEXT REFERENCES assets(id) ON DELETE CASCADE;
  ALTER TABLE assets ADD COLUMN processing_report_json TEXT;
  ALTER TABLE tracks ADD COLUMN processed_asset_id TEXT REFERENCES assets(id) ON DELETE SET NULL;
  ALTER TABLE jobs ADD COLUMN track_id TEXT;
  `,
  // 3: markers and the recorder. Points on an episode's timeline (samples at 48 kHz), listed by
  // position; a show's recorder setup (RecorderSettings as JSON; NULL until first saved, read as
  // one track on the default input).
  `
  CREATE TABLE markers (
    id TEXT PRIMARY KEY,
    episode_id TEXT NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
    position_samples INTEGER NOT NULL CHECK (position_samples >= 0),
    title TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'note' CHECK (kind IN ('chapter', 'note', 'ad')),
    created_at TEXT NOT NULL
  );
  CREATE INDEX markers_by_episode ON markers(episode_id, position_samples);
  ALTER TABLE shows ADD COLUMN recorder_json TEXT;
  `,
  // 4: the timeline edit. The episode's Edit as JSON (NULL until first saved, read as one clip per
  // track), the version it replaced (to fall back on if the current one is ever unreadable), and
  // when it was saved (library markers added after that join the edit on read).
  `
  ALTER TABLE episodes ADD COLUMN edit_json TEXT;
  ALTER TABLE episodes ADD COLUMN edit_previous_json TEXT;
  ALTER TABLE episodes ADD COLUMN edit_saved_at TEXT;
  `,
  // 5: the episode's length is its edit's (the end of its last clip), kept with each save so lists
  // need not read the edit; NULL until an edit is saved (the longest track's length stands in).
  // Edits saved before are measured here. A track or clip that is not an object is skipped (the
  // CASEs), since json_each and json_extract throw on plain text and would stop the app's start.
  `
  ALTER TABLE episodes ADD COLUMN edit_length_samples INTEGER;
  UPDATE episodes SET edit_length_samples = COALESCE((
    SELECT MAX(json_extract(c.value, '$.timelineStart') + json_extract(c.value, '$.sourceOut')
               - json_extract(c.value, '$.sourceIn'))
    FROM json_each(episodes.edit_json, '$.tracks') t,
         json_each(CASE WHEN t.type = 'object' THEN t.value END, '$.clips') c
    WHERE c.type = 'object'), 0)
  WHERE edit_json IS NOT NULL AND json_valid(edit_json);
  `,
];
