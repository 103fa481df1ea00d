/** Bumped on a breaking change to BuildResult / RunSummary. Kept apart from the zod schema so writers stay light. */
export const RESULT_SCHEMA_VERSION = 1;
