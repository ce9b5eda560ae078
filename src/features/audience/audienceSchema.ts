// The JSON schema of audience files, for VS Code's JSON editor: completion of the fields and
// statuses, hover docs and errors as you type. It is made here, not kept as a static file, so its
// texts are in the display language: package.json's jsonValidation points at
// prolific-schema:/audience.schema.json, which the extension serves (see audienceStandIns.ts).
// It describes what parseAudience accepts (a unit test compares the two); the parser stays the
// judge, with messages naming the field. Pure: no vscode.
import { l10n } from '../../shared/l10n';
import { MAX_WITHIN_DAYS, SUBMISSION_STATUSES, UNDERSCORE_STATUSES } from './audienceFormat';

export function audienceSchema(): Record<string, unknown> {
  const note = { type: 'string', description: l10n.t('Free text for whoever reads the file; the preview shows it next to the source.') };
  const source = (kind: string, properties: Record<string, unknown>, description: string) => ({
    type: 'object',
    description,
    required: [kind],
    additionalProperties: false,
    properties: { ...properties, note },
  });
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: l10n.t('Prolific audience'),
    description: l10n.t(
      'Who to message: the participants of the "include" sources, minus those of the "exclude" sources. Evaluated against Prolific when you preview or send.',
    ),
    type: 'object',
    required: ['include'],
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      description: { type: 'string', description: l10n.t('What this audience is for, in your words.') },
      messageStudy: {
        type: 'string',
        minLength: 1,
        description: l10n.t(
          'The study the message is about (the Study of the compose form), by ID or name. Without it: the first study in "include".',
        ),
      },
      include: {
        type: 'array',
        minItems: 1,
        items: { $ref: '#/definitions/source' },
        description: l10n.t('Sources whose participants are in the audience (their union).'),
      },
      exclude: {
        type: 'array',
        items: { $ref: '#/definitions/source' },
        description: l10n.t('Sources whose participants are kept out, even when a source to include holds them.'),
      },
    },
    definitions: {
      source: {
        anyOf: [
          { $ref: '#/definitions/study' },
          { $ref: '#/definitions/group' },
          { $ref: '#/definitions/ids' },
          { $ref: '#/definitions/file' },
          { $ref: '#/definitions/messaged' },
        ],
        defaultSnippets: [
          { label: 'study', description: l10n.t("A study's submissions, by status"), body: { study: '$1', statuses: ['${2:APPROVED}'] } },
          { label: 'group', description: l10n.t('A participant group'), body: { group: '$1' } },
          { label: 'ids', description: l10n.t('Participant IDs written here'), body: { ids: ['$1'] } },
          { label: 'file', description: l10n.t('A CSV column, or every ID in a file'), body: { file: '$1' } },
          { label: 'messaged', description: l10n.t('Those you messaged lately'), body: { messaged: { within: '${1:7d}' } } },
        ],
      },
      study: source(
        'study',
        {
          study: {
            type: 'string',
            minLength: 1,
            description: l10n.t('A study ID (24 hexadecimal characters), or the name of one of your studies.'),
          },
          statuses: {
            type: 'array',
            minItems: 1,
            // No uniqueItems: the parser takes a status given twice (once is enough), so the editor does not flag it.
            description: l10n.t('Only submissions with these statuses. Without it: every status.'),
            items: { enum: [...SUBMISSION_STATUSES, ...UNDERSCORE_STATUSES] },
          },
        },
        l10n.t("A study's submissions: their participants."),
      ),
      group: source(
        'group',
        { group: { type: 'string', minLength: 1, description: l10n.t("A participant group's ID, or its name.") } },
        l10n.t("A participant group's members."),
      ),
      ids: source(
        'ids',
        {
          ids: {
            type: 'array',
            description: l10n.t('Participant IDs.'),
            items: {
              type: 'string',
              pattern: '^\\s*[0-9a-fA-F]{24}\\s*$',
              patternErrorMessage: l10n.t('A participant ID has 24 hexadecimal characters.'),
            },
          },
        },
        l10n.t('Participants listed in this file.'),
      ),
      file: source(
        'file',
        {
          file: {
            type: 'string',
            minLength: 1,
            pattern: '^(?![\\\\/])(?![a-zA-Z]:)(?!.*(^|[\\\\/])\\.\\.([\\\\/]|$)).+$',
            patternErrorMessage: l10n.t('A path inside the workspace, relative to its folder, such as "data/wave1.csv".'),
            description: l10n.t(
              'A file of the workspace, relative to its folder: a CSV or TSV (its participant-ID column), or any file (every participant ID in it).',
            ),
          },
          column: {
            type: 'string',
            minLength: 1,
            description: l10n.t('CSV and TSV only: the header of the column with the participant IDs. Without it, the column is detected.'),
          },
        },
        l10n.t("A file's participants."),
      ),
      messaged: source(
        'messaged',
        {
          messaged: {
            type: 'object',
            required: ['within'],
            additionalProperties: false,
            properties: {
              within: {
                type: 'string',
                pattern: '^[1-9][0-9]{0,3}[hdw]$',
                patternErrorMessage: l10n.t('A time such as "36h", "7d" or "2w", of at most {0} days.', MAX_WITHIN_DAYS),
                description: l10n.t(
                  "How far back: hours (h), days (d) or weeks (w), at most {0} days. From Prolific's record of your messages and this computer's sent history.",
                  MAX_WITHIN_DAYS,
                ),
              },
            },
          },
        },
        l10n.t('Participants you messaged lately.'),
      ),
    },
  };
}
