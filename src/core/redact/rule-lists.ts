// The redaction rule lists, in the order they run (a table). Pure: no node:* imports.
import { redactNamedSecrets } from './named-secrets.js';
import { patternRule, type Rule } from './rules.js';
import { isDiscordToken, redactAuthHeaders, redactUrlPasswords } from './structured.js';
import { hasLetterAndDigit, hasThreeClasses, isNonSecretValue, LOWER_RE, UPPER_RE } from './values.js';

const B64 = 'A-Za-z0-9+/';

/** Provider tokens, recognised by their own shape. Run when the text could hold one (see the gates in text.ts). */
export const TOKEN_RULES: readonly Rule[] = [
  patternRule({ kind: 'jwt', gate: ['eyJ'], re: /\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g }),
  patternRule({ kind: 'anthropic-api-key', gate: ['sk-ant-'], re: /\bsk-ant-[A-Za-z0-9_-]{20,}/g }),
  patternRule({
    kind: 'openai-api-key',
    gate: ['sk-'],
    re: /\bsk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,}/g,
    validate: (s) => hasThreeClasses(s),
  }),
  patternRule({ kind: 'github-token', gate: /gh[pousr]_/, re: /\bgh[pousr]_[A-Za-z0-9]{36,251}\b/g }),
  patternRule({ kind: 'github-fine-grained-pat', gate: ['github_pat_'], re: /\bgithub_pat_[A-Za-z0-9_]{22,255}/g }),
  patternRule({
    kind: 'gitlab-token',
    gate: ['gl'],
    re: /\bgl(?:pat|dt|rt|ptt|cbt|oas|ft|imt|soat)-[A-Za-z0-9_-]{20,}/g,
  }),
  patternRule({ kind: 'slack-token', gate: ['xox'], re: /\bxox[abposre]-[A-Za-z0-9-]{10,}/g }),
  patternRule({ kind: 'slack-app-token', gate: ['xapp-'], re: /\bxapp-[A-Za-z0-9-]{10,}/g }),
  patternRule({ kind: 'stripe-key', gate: ['_live_', '_test_'], re: /\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}/g }),
  patternRule({ kind: 'stripe-webhook-secret', gate: ['whsec_'], re: /\bwhsec_[A-Za-z0-9+/=]{24,}/g }),
  patternRule({ kind: 'google-oauth-token', gate: ['ya29.'], re: /\bya29\.[A-Za-z0-9_-]{20,}/g }),
  patternRule({ kind: 'google-refresh-token', gate: ['1//0'], re: /\b1\/\/0[A-Za-z0-9_-]{30,}/g }),
  patternRule({ kind: 'google-oauth-client-secret', gate: ['GOCSPX-'], re: /\bGOCSPX-[A-Za-z0-9_-]{24,}/g }),
  patternRule({ kind: 'gcp-api-key', gate: ['AIza'], re: /\bAIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g }),
  patternRule({
    kind: 'aws-access-key-id',
    gate: ['AKIA', 'ASIA', 'ABIA', 'ACCA'],
    re: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g,
  }),
  patternRule({ kind: 'npm-token', gate: ['npm_'], re: /\bnpm_[A-Za-z0-9]{36}\b/g }),
  patternRule({ kind: 'pypi-token', gate: ['pypi-'], re: /\bpypi-[A-Za-z0-9_-]{40,}/g }),
  patternRule({ kind: 'sendgrid-api-key', gate: ['SG.'], re: /\bSG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}/g }),
  patternRule({ kind: 'mailgun-api-key', gate: ['key-'], re: /\bkey-[a-z0-9]{32}\b/g, validate: hasLetterAndDigit }),
  patternRule({ kind: 'twilio-api-key', gate: ['SK'], re: /\bSK[0-9a-f]{32}\b/g, validate: hasLetterAndDigit }),
  patternRule({ kind: 'heroku-api-key', gate: ['HRKU-'], re: /\bHRKU-[A-Za-z0-9_-]{20,}/g }),
  patternRule({ kind: 'digitalocean-token', gate: ['_v1_'], re: /\bdo[por]_v1_[a-f0-9]{64}\b/g }),
  patternRule({
    kind: 'huggingface-token',
    gate: ['hf_'],
    re: /\bhf_[A-Za-z0-9]{30,}\b/g,
    validate: (s) => UPPER_RE.test(s) && LOWER_RE.test(s.slice(3)),
  }),
  patternRule({
    kind: 'discord-bot-token',
    gate: ['.'],
    re: /\b[MNO][A-Za-z0-9_-]{22,26}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}(?![A-Za-z0-9_-])/g,
    validate: isDiscordToken,
  }),
  patternRule({
    kind: 'telegram-bot-token',
    gate: [':AA'],
    re: /(?:(?<=bot)|(?<![A-Za-z0-9_]))\d{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])/g,
  }),
  patternRule({ kind: 'shopify-token', gate: ['shp'], re: /\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b/g }),
  patternRule({ kind: 'age-secret-key', gate: ['AGE-SECRET-KEY-'], re: /\bAGE-SECRET-KEY-1[A-Z0-9]{50,}/g }),
];

/** Structural rules keyed on a literal: webhooks, connection strings, URLs, CLI commands. */
export const LITERAL_RULES: readonly Rule[] = [
  patternRule({
    kind: 'slack-webhook',
    gate: ['hooks.slack.com'],
    re: /(https?:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/)([A-Za-z0-9_/+-]{8,})/g,
    keep: true,
  }),
  patternRule({
    kind: 'discord-webhook',
    gate: ['discord'],
    re: /(https?:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d+\/)([A-Za-z0-9_-]{20,})/g,
    keep: true,
  }),
  patternRule({
    kind: 'azure-storage-key',
    gate: ['AccountKey', 'SharedAccessKey'],
    re: new RegExp(`(\\b(?:AccountKey|SharedAccessKey)[ \\t]*=[ \\t]*)([${B64}]{20,}={0,2})`, 'g'),
    keep: true,
  }),
  patternRule({
    kind: 'azure-sas-signature',
    gate: ['sig='],
    re: /([?&]sig=)([A-Za-z0-9%+/]{20,}(?:%3D|=){0,2})/g,
    keep: true,
  }),
  { gate: ['://'], apply: redactUrlPasswords },
  patternRule({
    kind: 'cli-password',
    gate: ['mysql', 'mariadb'],
    re: /((?<=^|[\s;&|(`'"])(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlcheck|mysqlsh|mariadb|mariadb-dump)\b[^\n;|&]{0,300}?[ \t]-p)("[^"\n]*"|'[^'\n]*'|[^\s'"-][^\s'"]*)/gm,
    keep: true,
    validate: (s) => !isNonSecretValue(s.replace(/^["']|["']$/g, ''), 'password', true),
  }),
  patternRule({
    kind: 'basic-auth-password',
    gate: ['curl', 'wget', 'httpie'],
    re: /(\b(?:curl|wget|httpie)\b[^\n;|&]{0,300}?[ \t](?:-u|--user|--proxy-user)(?:[ \t]+|=)["']?[^\s:"']*:)([^\s"']+)/g,
    keep: true,
    // `-u 1000:1000` is a uid:gid pair, not credentials.
    validate: (s, keep) => !isNonSecretValue(s, 'password', true) && !(/^\d+$/.test(s) && /[\s'"=]\d+:$/.test(keep)),
  }),
];

/** Rules keyed on a secret-like word nearby: named values, headers, flags, the entropy fallback. */
export const WORD_RULES: readonly Rule[] = [
  patternRule({
    kind: 'aws-secret-access-key',
    gate: /secret.?access.?key/i,
    re: /((?:aws[_ .-]?)?secret[_ .-]?access[_ .-]?key["']?[ \t]*(?:\[[^\]\n]*\][ \t]*)?[:=][ \t]*["']?)([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
    keep: true,
  }),
  patternRule({
    kind: 'twilio-account-sid',
    gate: ['twilio', 'Twilio', 'TWILIO'],
    re: /\bAC[0-9a-f]{32}\b/g,
    validate: hasLetterAndDigit,
  }),
  patternRule({
    kind: 'heroku-api-key',
    gate: ['heroku', 'Heroku', 'HEROKU'],
    re: /(heroku[\w.-]{0,40}?(?:api[_-]?key|token)["']?[ \t]*[:=][ \t]*["']?)([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/gi,
    keep: true,
  }),
  { gate: ['uthorization', 'UTHORIZATION'], apply: redactAuthHeaders },
  patternRule({
    kind: 'bearer-token',
    gate: ['earer', 'EARER'],
    re: /(\b[Bb]earer[ \t]+)([A-Za-z0-9._~+/-]{16,}=*)/g,
    keep: true,
    validate: hasLetterAndDigit,
  }),
  // WORD_GATE has already passed.
  { gate: null, apply: redactNamedSecrets },
];
