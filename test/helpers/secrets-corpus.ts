// Fake secrets for redaction tests, built at run time so no realistic secret literal sits in the repo
// (and secret scanners on the repo stay quiet). Each sample embeds its secret the way it shows up in
// a prompt, a shell command, command output or file content.
//
// Other tests plant these in payloads (plantSecrets, plantInPayload) and then assert that nothing
// leaked into what they stored, exported or committed (leakedSecrets).

export interface SecretSample {
  /** what the sample is, e.g. "github-token (ghp_)" */
  kind: string;
  /** the label redaction must use: the text must contain `[REDACTED:<label>]` afterwards */
  label: string;
  /** the secret itself: must not survive redaction */
  secret: string;
  /** the secret embedded in realistic text */
  context: string;
}

// --- deterministic fake material ---------------------------------------------------------------

/** mulberry32: small seeded PRNG, enough for test material. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;
const HEX = '0123456789abcdef';
const B64 = ALNUM + '+/';
const B64URL = ALNUM + '-_';

/** `n` characters from `alphabet`, deterministic in `seed`; always mixes classes when the alphabet has them. */
function fake(seed: number, alphabet: string, n: number): string {
  const rnd = seededRandom(seed * 7919 + n);
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[Math.floor(rnd() * alphabet.length)];
  // Guarantee at least two of each class present in the alphabet (validators look for mixed classes).
  const classes = [UPPER, LOWER, DIGITS].filter((c) => [...c].some((ch) => alphabet.includes(ch)));
  if (n >= 12) {
    const chars = [...out];
    classes.forEach((cls, k) => {
      const pool = [...cls].filter((ch) => alphabet.includes(ch));
      chars[2 * k] = pool[(seed + k) % pool.length] ?? chars[2 * k] ?? '';
      chars[2 * k + 7] = pool[(seed + 3 * k + 1) % pool.length] ?? chars[2 * k + 7] ?? '';
    });
    out = chars.join('');
  }
  return out;
}

const b64url = (s: string): string => btoa(s).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const pemLines = (seed: number, lines: number): string[] =>
  Array.from({ length: lines }, (_, i) => fake(seed * 31 + i, B64, 64));
const uuidFake = (seed: number): string => {
  const h = fake(seed, HEX, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

function pem(seed: number, type: string, block = 'KEY'): { secret: string; text: string } {
  const body = pemLines(seed, 6);
  const first = body[0] ?? '';
  const armor = type === 'PGP ' ? 'Version: GnuPG v2\n\n' : '';
  const checksum = type === 'PGP ' ? `\n=${fake(seed + 1, B64, 4)}` : '';
  return {
    secret: first,
    text: `-----BEGIN ${type}PRIVATE ${block}-----\n${armor}${body.join('\n')}${checksum}\n-----END ${type}PRIVATE ${block}-----`,
  };
}

// --- the corpus ------------------------------------------------------------------------------------

function buildSamples(): SecretSample[] {
  const s: SecretSample[] = [];
  const add = (kind: string, label: string, secret: string, context: string): void => {
    if (!context.includes(secret)) throw new Error(`corpus bug: ${kind} context lacks its secret`);
    s.push({ kind, label, secret, context });
  };

  const akia = 'AKIA' + fake(1, UPPER + DIGITS, 16);
  add('aws-access-key-id', 'aws-access-key-id', akia, `aws configure set aws_access_key_id ${akia} --profile ci`);
  const asia = 'ASIA' + fake(2, UPPER + DIGITS, 16);
  add('aws-sts-access-key-id', 'aws-access-key-id', asia, `{\n  "Credentials": {\n    "AccessKeyId": "${asia}",\n    "Expiration": "2025-07-01T12:00:00Z"\n  }\n}`);
  const awsSecret = fake(3, B64, 40);
  add('aws-secret-access-key', 'aws-secret-access-key', awsSecret, `[default]\nregion = us-east-1\naws_secret_access_key = ${awsSecret}\n`);
  const awsPrompt = fake(4, B64, 40);
  add('aws-configure-prompt', 'aws-secret-access-key', awsPrompt, `AWS Access Key ID [None]: \nAWS Secret Access Key [None]: ${awsPrompt}\nDefault region name [None]: eu-west-1`);

  const gcpKey = pem(5, '');
  add(
    'gcp-service-account-json',
    'private-key',
    gcpKey.secret,
    JSON.stringify({ type: 'service_account', project_id: 'demo-project', private_key: gcpKey.text + '\n', client_email: 'ci@demo-project.iam.gserviceaccount.com' }, null, 2),
  );
  const aiza = 'AIza' + fake(6, B64URL, 35);
  add('gcp-api-key', 'gcp-api-key', aiza, `curl "https://maps.googleapis.com/maps/api/geocode/json?address=Berlin&key=${aiza}"`);
  const gocspx = 'GOCSPX-' + fake(7, B64URL, 28);
  add('google-oauth-client-secret', 'google-oauth-client-secret', gocspx, `{"web":{"client_id":"1234-abc.apps.googleusercontent.com","client_secret":"${gocspx}"}}`);
  const ya29 = 'ya29.' + fake(8, B64URL, 120);
  add('google-oauth-access-token', 'google-oauth-token', ya29, `$ gcloud auth print-access-token\n${ya29}\n`);
  const refresh = '1//0' + fake(9, B64URL, 60);
  add('google-refresh-token', 'google-refresh-token', refresh, `refresh: ${refresh} (expires never)`);

  const accountKey = fake(10, B64, 86) + '==';
  add('azure-storage-connection-string', 'azure-storage-key', accountKey, `AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=https;AccountName=demo;AccountKey=${accountKey};EndpointSuffix=core.windows.net"`);
  const sas = fake(11, ALNUM, 43) + '%3D';
  add('azure-sas-url', 'azure-sas-signature', sas, `az storage blob download --blob-url "https://demo.blob.core.windows.net/c/data.csv?sv=2022-11-02&ss=b&srt=o&sp=r&sig=${sas}"`);

  const ghp = 'ghp_' + fake(12, ALNUM, 36);
  add('github-token (ghp_)', 'github-token', ghp, `export GITHUB_TOKEN=${ghp}\ngh repo list`);
  const gho = 'gho_' + fake(13, ALNUM, 36);
  add('github-token (gho_)', 'github-token', gho, `github.com\n  ✓ Logged in to github.com account demo (keyring)\n  - Token: ${gho}`);
  const ghu = 'ghu_' + fake(14, ALNUM, 36);
  add('github-token (ghu_)', 'github-token', ghu, `Please use ${ghu} for the app installation`);
  const ghs = 'ghs_' + fake(15, ALNUM, 36);
  add('github-token (ghs_)', 'github-token', ghs, `git push https://x-access-token:${ghs}@github.com/demo/repo.git HEAD:main`);
  const ghr = 'ghr_' + fake(16, ALNUM, 76);
  add('github-token (ghr_)', 'github-token', ghr, `{"refresh_token": "${ghr}", "expires_in": 15811200}`);
  const ghpat = 'github_pat_' + fake(17, ALNUM, 22) + '_' + fake(18, ALNUM, 59);
  add('github-fine-grained-pat', 'github-fine-grained-pat', ghpat, `echo ${ghpat} | gh auth login --with-token`);
  const glpat = 'glpat-' + fake(19, B64URL, 20);
  add('gitlab-token', 'gitlab-token', glpat, `curl --header "PRIVATE-TOKEN: ${glpat}" "https://gitlab.com/api/v4/projects"`);

  const xoxb = `xoxb-${fake(20, DIGITS, 12)}-${fake(21, DIGITS, 13)}-${fake(22, ALNUM, 24)}`;
  add('slack-bot-token', 'slack-token', xoxb, `SLACK_BOT_TOKEN=${xoxb}`);
  const xoxp = `xoxp-${fake(23, DIGITS, 12)}-${fake(24, DIGITS, 12)}-${fake(25, DIGITS, 13)}-${fake(26, HEX, 32)}`;
  add('slack-user-token', 'slack-token', xoxp, `client = WebClient(token="${xoxp}")`);
  const xoxa = `xoxa-2-${fake(27, DIGITS, 12)}-${fake(28, ALNUM, 30)}`;
  add('slack-xoxa-token', 'slack-token', xoxa, `legacy workspace token ${xoxa} was revoked`);
  const xapp = `xapp-1-A${fake(29, UPPER + DIGITS, 10)}-${fake(30, DIGITS, 13)}-${fake(31, HEX, 64)}`;
  add('slack-app-token', 'slack-app-token', xapp, `SocketModeHandler(app, "${xapp}").start()`);
  const hook = `T${fake(32, UPPER + DIGITS, 10)}/B${fake(33, UPPER + DIGITS, 10)}/${fake(34, ALNUM, 24)}`;
  add('slack-webhook', 'slack-webhook', hook, `curl -X POST -H 'Content-type: application/json' --data '{"text":"deployed"}' https://hooks.slack.com/services/${hook}`);

  const skLive = 'sk_live_' + fake(35, ALNUM, 24);
  add('stripe-secret-key', 'stripe-key', skLive, `stripe.api_key = "${skLive}"`);
  const rkLive = 'rk_live_' + fake(36, ALNUM, 24);
  add('stripe-restricted-key', 'stripe-key', rkLive, `stripe listen --api-key ${rkLive}`);
  const skTest = 'sk_test_' + fake(37, ALNUM, 24);
  add('stripe-test-key', 'stripe-key', skTest, `const stripe = new Stripe('${skTest}');`);
  const whsec = 'whsec_' + fake(38, ALNUM, 32);
  add('stripe-webhook-secret', 'stripe-webhook-secret', whsec, `Ready! Your webhook signing secret is ${whsec} (^C to quit)`);

  const ant = 'sk-ant-api03-' + fake(39, B64URL, 93) + 'AA';
  add('anthropic-api-key', 'anthropic-api-key', ant, `ANTHROPIC_API_KEY=${ant} npx some-tool`);
  const oai = 'sk-' + fake(40, ALNUM, 20) + 'T3Blbk' + 'FJ' + fake(41, ALNUM, 20);
  add('openai-api-key', 'openai-api-key', oai, `openai.api_key = '${oai}'`);
  const oaiProj = 'sk-proj-' + fake(42, B64URL, 156);
  add('openai-project-key', 'openai-api-key', oaiProj, `curl https://api.openai.com/v1/models -H "Authorization: Bearer ${oaiProj}"`);

  const npm = 'npm_' + fake(43, ALNUM, 36);
  add('npm-token', 'npm-token', npm, `//registry.npmjs.org/:_authToken=${npm}\n`);
  const pypi = 'pypi-' + 'AgEIcHlwaS5vcmc' + fake(44, B64URL, 70);
  add('pypi-token', 'pypi-token', pypi, `[pypi]\n  username = __token__\n  password = ${pypi}\n`);

  const twSk = 'SK' + fake(45, HEX, 32);
  add('twilio-api-key', 'twilio-api-key', twSk, `client = Client("${twSk}", api_secret, account_sid)`);
  const twAc = 'AC' + fake(46, HEX, 32);
  add('twilio-account-sid', 'twilio-account-sid', twAc, `curl -X POST https://api.twilio.com/2010-04-01/Accounts/${twAc}/Messages.json -u "$TWILIO_API_KEY:$TWILIO_API_SECRET"`);
  const twToken = fake(47, HEX, 32);
  add('twilio-auth-token', 'token', twToken, `TWILIO_AUTH_TOKEN=${twToken}`);
  const sg = `SG.${fake(48, B64URL, 22)}.${fake(49, B64URL, 43)}`;
  add('sendgrid-api-key', 'sendgrid-api-key', sg, `sg = SendGridAPIClient('${sg}')`);
  const mg = 'key-' + fake(50, HEX, 32);
  add('mailgun-api-key', 'mailgun-api-key', mg, `curl -s --user 'api:${mg}' https://api.mailgun.net/v3/mg.example.com/messages`);
  const heroku = uuidFake(51);
  add('heroku-api-key', 'heroku-api-key', heroku, `HEROKU_API_KEY=${heroku} heroku apps`);
  const dop = 'dop_v1_' + fake(52, HEX, 64);
  add('digitalocean-token', 'digitalocean-token', dop, `doctl auth init --access-token ${dop}`);
  const hf = 'hf_' + fake(53, UPPER + LOWER, 34);
  add('huggingface-token', 'huggingface-token', hf, `huggingface-cli login --token ${hf}`);
  const discord = `${b64url('1' + fake(54, DIGITS, 17))}.${fake(55, B64URL, 6)}.${fake(56, B64URL, 38)}`;
  add('discord-bot-token', 'discord-bot-token', discord, `client.run('${discord}')`);
  const discordHook = fake(57, B64URL, 68);
  add('discord-webhook', 'discord-webhook', discordHook, `POST https://discord.com/api/webhooks/${fake(58, DIGITS, 18)}/${discordHook}`);
  const telegram = `${fake(59, DIGITS, 10)}:AA${fake(60, B64URL, 33)}`;
  add('telegram-bot-token', 'telegram-bot-token', telegram, `curl https://api.telegram.org/bot${telegram}/getMe`);
  const shpat = 'shpat_' + fake(61, HEX, 32);
  add('shopify-token', 'shopify-token', shpat, `-H 'X-Shopify-Access-Token: ${shpat}'`);
  const age = 'AGE-SECRET-KEY-1' + fake(62, UPPER + DIGITS, 58);
  add('age-secret-key', 'age-secret-key', age, `# created: 2025-06-01\n# public key: age1xyz\n${age}\n`);

  const jwt = `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(`{"sub":"${fake(63, DIGITS, 10)}","name":"Demo","iat":1700000000}`)}.${fake(64, B64URL, 43)}`;
  add('jwt', 'jwt', jwt, `{"id_token": "${jwt}", "token_type": "Bearer"}`);

  const rsa = pem(65, 'RSA ');
  add('pem-rsa-private-key', 'private-key', rsa.secret, `$ cat ~/.ssh/id_rsa\n${rsa.text}\n`);
  const rsaRead = pem(66, 'RSA ');
  const numbered = rsaRead.text
    .split('\n')
    .map((line, i) => `${String(i + 1).padStart(6)}→${line}`)
    .join('\n');
  add('pem-in-read-tool-output', 'private-key', rsaRead.secret, numbered);
  const ec = pem(67, 'EC ');
  add('pem-ec-private-key', 'private-key', ec.secret, `Writing key.pem:\n${ec.text}`);
  const ossh = pem(68, 'OPENSSH ');
  add('pem-openssh-private-key', 'private-key', ossh.secret, ossh.text);
  const pgp = pem(69, 'PGP ', 'KEY BLOCK');
  add('pgp-private-key-block', 'private-key', pgp.secret, `gpg --export-secret-keys --armor demo\n${pgp.text}`);
  const enc = pem(70, 'ENCRYPTED ');
  add('pem-encrypted-private-key', 'private-key', enc.secret, `key = """${enc.text}"""`);
  const cut = pem(71, 'RSA ');
  add('pem-cut-off-without-end', 'private-key', cut.secret, cut.text.slice(0, cut.text.indexOf('-----END') - 20));

  const urlPass = 'Pw' + fake(72, ALNUM + '!*~', 14);
  add('url-password', 'url-password', urlPass, `git clone https://deploy:${urlPass}@git.example.com/org/repo.git`);
  const pgPass = fake(73, ALNUM, 18);
  add('postgres-url-password', 'db-connection-password', pgPass, `DATABASE_URL=postgres://app:${pgPass}@db.internal:5432/app`);
  const mongoPass = fake(74, ALNUM, 16);
  add('mongodb-srv-password', 'db-connection-password', mongoPass, `mongosh "mongodb+srv://admin:${mongoPass}@cluster0.ab1cd.mongodb.net/test?retryWrites=true"`);
  const redisPass = fake(75, ALNUM, 20);
  add('redis-url-password', 'db-connection-password', redisPass, `REDIS_URL=redis://:${redisPass}@cache.internal:6379/0`);

  const bearer = fake(76, B64URL, 40);
  add('authorization-bearer', 'authorization', bearer, `curl -H "Authorization: Bearer ${bearer}" https://api.example.com/v1/me`);
  const basic = btoa(`admin:${fake(77, ALNUM, 12)}`);
  add('authorization-basic', 'authorization', basic, `GET /api HTTP/1.1\r\nHost: ci.example.com\r\nAuthorization: Basic ${basic}\r\n`);
  const bearerLoose = fake(78, ALNUM, 32);
  add('bearer-token-in-text', 'bearer-token', bearerLoose, `retrying request with bearer ${bearerLoose} after 401`);
  const cookie = fake(79, ALNUM, 32);
  add('cookie-header', 'cookie', cookie, `curl -H 'Cookie: sessionid=${cookie}; theme=dark' https://app.example.com/`);
  const xApiKey = fake(80, HEX, 40);
  add('x-api-key-header', 'api-key', xApiKey, `curl -H 'x-api-key: ${xApiKey}' https://api.example.com/`);

  const envPass = 'Tr0ub4dor&3' + fake(81, ALNUM, 4);
  add('dotenv-password', 'password', envPass, `DB_HOST=localhost\nDB_USER=app\nDB_PASSWORD=${envPass}\nDB_PORT=5432\n`);
  const envToken = fake(82, ALNUM, 28);
  add('export-quoted-token', 'token', envToken, `export API_TOKEN="${envToken}"\nnpm run deploy`);
  const yamlSecret = fake(83, ALNUM, 24);
  add('yaml-secret', 'secret', yamlSecret, `jwt:\n  issuer: demo\n  secret: '${yamlSecret}'\n`);
  const jsonSecret = fake(84, ALNUM, 30);
  add('json-client-secret', 'secret', jsonSecret, `{\n  "client_id": "demo-app",\n  "client_secret": "${jsonSecret}"\n}`);
  const hexKey = '0x' + fake(85, HEX, 64);
  add('private-key-env', 'private-key', hexKey, `PRIVATE_KEY=${hexKey}\nRPC_URL=https://rpc.example.org`);
  const creds = fake(86, ALNUM, 24);
  add('credentials-env', 'credentials', creds, `REGISTRY_CREDENTIALS=${creds}`);
  const pgEnv = fake(87, ALNUM, 14);
  add('pgpassword-env', 'password', pgEnv, `PGPASSWORD=${pgEnv} psql -h db.internal -U app -c 'select 1'`);
  const yamlPass = 'correct horse ' + fake(88, LOWER, 8);
  add('yaml-password-with-spaces', 'password', yamlPass, `database:\n  user: app\n  password: ${yamlPass}\n  host: db`);

  const mysqlPass = 'My' + fake(89, ALNUM, 12);
  add('mysql-cli-password', 'cli-password', mysqlPass, `mysql -u root -p${mysqlPass} -h 127.0.0.1 shop < dump.sql`);
  const flagPass = fake(90, ALNUM, 16);
  add('cli-password-flag', 'password', flagPass, `docker login -u demo --password ${flagPass} registry.example.com`);
  const flagEq = fake(91, ALNUM, 16);
  add('cli-password-equals', 'password', flagEq, `psql "host=db.internal user=app password=${flagEq} dbname=shop"`);
  const curlPass = fake(92, ALNUM, 16);
  add('curl-user-password', 'basic-auth-password', curlPass, `curl -u admin:${curlPass} https://ci.example.com/api/json`);

  const entropySecret = fake(93, ALNUM, 32);
  add('high-entropy-after-name', 'high-entropy-secret', entropySecret, `the staging api key is ${entropySecret} - rotate it monthly`);
  return s;
}

export const SECRET_SAMPLES: readonly SecretSample[] = buildSamples();

/** Distinct redaction labels the corpus exercises. */
export const SECRET_LABELS: readonly string[] = [...new Set(SECRET_SAMPLES.map((x) => x.label))].sort();

/**
 * Texts that must come out of redaction unchanged: they look a bit like secrets, or sit next to a
 * secret-like word, but losing them would ruin the learning data.
 */
export const NON_SECRETS: readonly string[] = [
  'Please reset your password using the link in the e-mail.',
  'The tokenizer splits text into tokens; max_tokens limits the reply.',
  '/Users/ran/.claude/projects/-private-var-folders-5b-dd/b23e5d8a-855f-44c5-95f0-075485a6ffcf.jsonl',
  'src/core/redact.ts:42:7 - error TS2322',
  'commit 8f3c2a1b9d4e5f60718293a4b5c6d7e8f9012345\nAuthor: Demo <demo@example.com>',
  'git checkout 8f3c2a1b9d4e5f60718293a4b5c6d7e8f9012345',
  'session b23e5d8a-855f-44c5-95f0-075485a6ffcf resumed',
  '{"session_id":"b23e5d8a-855f-44c5-95f0-075485a6ffcf","tool_use_id":"toolu_01ABCdefGHIjklMNOpqrSTU9"}',
  '{"type":"tool_result","tool_use_id":"toolu_01Xy7Qk3WmN9bV2cLp8RtZ4s","content":"ok"}',
  '"usage": {"input_tokens": 1234, "cache_creation_input_tokens": 0, "output_tokens": 567}',
  'npm install react@18.2.0 typescript@5.4.5 @types/node@20.11.30',
  '"version": "4.11.0", "integrity": "sha512-' + 'Qk'.repeat(40) + '=="',
  'pip install requests==2.31.0 numpy>=2.0.0',
  'docker run -u 1000:1000 -p 8080:80 nginx:1.25',
  'docker pull node@sha256:' + 'ab12'.repeat(16),
  'mysql -u root -p -h 127.0.0.1 shop',
  'psql -h localhost -U postgres -W',
  'git clone git@github.com:org/repo.git && cd repo',
  'curl https://example.com:8443/path?q=1',
  'curl -H "Authorization: Bearer $GITHUB_TOKEN" https://api.github.com/user',
  "headers: { Authorization: `Bearer ${token}` }",
  'const apiKey = process.env.OPENAI_API_KEY;',
  'token = os.environ["GITHUB_TOKEN"]',
  'conn = connect(user=user, password=password)',
  'password: string;\ntoken?: string;',
  'export AWS_PROFILE=dev\nexport PWD=/home/demo/project',
  'if (password === confirmPassword) return;',
  'token: ${{ secrets.GITHUB_TOKEN }}',
  'GOOGLE_APPLICATION_CREDENTIALS=/home/demo/keys/service-account.json',
  'const primary_key = "id"; const sort_key = "name";',
  'The monkey: ate a banana; keyboard: US layout',
  'keys: ["a", "b"], key: 0',
  btoa('This is an ordinary sentence encoded in base64 for transport.'),
  'if line.startswith("-----BEGIN RSA PRIVATE KEY-----"): parse_pem(line)',
  '--token TOKEN      GitHub token to use (default: $GITHUB_TOKEN)',
  'risk-assessment-matrix-for-2024-q1 and task-runner-configuration-v2',
  'ssh-keygen -t ed25519 -f ~/.ssh/id_ed25519 -C demo@example.com',
  'Read(file_path="/work/main/src/auth/TokenStore.ts")',
  'uuid 550e8400-e29b-41d4-a716-446655440000 and request req_011CVabcDEF9876543210',
  'Edit src/core/redact.ts: replace getAccessTokenFromRefresh2 with refreshAccessToken',
];

// --- planting and leak checks -----------------------------------------------------------------------

/** `count` sample contexts chosen deterministically from `seed`. */
export function plantSecrets(seed: number, count = 3): string[] {
  const rnd = seededRandom(seed);
  return Array.from({ length: count }, () => SECRET_SAMPLES[Math.floor(rnd() * SECRET_SAMPLES.length)]?.context ?? '');
}

/** The sample at a deterministic position for `seed`. */
export function sampleFor(seed: number): SecretSample {
  const sample = SECRET_SAMPLES[Math.abs(Math.trunc(seed)) % SECRET_SAMPLES.length];
  if (sample === undefined) throw new Error('empty corpus');
  return sample;
}

/**
 * A deep copy of `payload` with `count` secret contexts planted: appended to string fields chosen
 * by `seed` (on their own line), or added as new fields when the payload has no strings.
 * Returns the planted samples so a test can check each one.
 */
export function plantInPayload<T>(payload: T, seed: number, count = 3): { payload: T; planted: SecretSample[] } {
  const copy = structuredClone(payload);
  const rnd = seededRandom(seed);
  const slots: { holder: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach((x, i) => (typeof x === 'string' ? slots.push({ holder: v, key: i }) : visit(x)));
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (typeof x === 'string') slots.push({ holder: v as Record<string, unknown>, key: k });
        else visit(x);
      }
    }
  };
  visit(copy);
  const planted: SecretSample[] = [];
  for (let i = 0; i < count; i++) {
    const sample = SECRET_SAMPLES[Math.floor(rnd() * SECRET_SAMPLES.length)];
    if (sample === undefined) continue;
    planted.push(sample);
    const slot = slots[Math.floor(rnd() * slots.length)];
    if (slot !== undefined) {
      const h = slot.holder as Record<string | number, unknown>;
      h[slot.key] = `${String(h[slot.key])}\n${sample.context}\n`;
    } else if (copy !== null && typeof copy === 'object' && !Array.isArray(copy)) {
      (copy as Record<string, unknown>)[`planted_${i}`] = sample.context;
    }
  }
  return { payload: copy, planted };
}

const WINDOW = 16;
const STRIDE = 8;
const probes: readonly { secret: string; parts: readonly string[] }[] = SECRET_SAMPLES.map(({ secret }) => {
  const parts = [secret];
  // Long secrets are also probed piecewise, so a partial leak (cut at a truncation, or half
  // redacted) is caught too.
  if (secret.length >= 24) {
    for (let i = 0; i + WINDOW <= secret.length; i += STRIDE) parts.push(secret.slice(i, i + WINDOW));
    parts.push(secret.slice(-WINDOW));
  }
  return { secret, parts };
});

/** Corpus secrets (whole or any 16-char piece of a long one) that appear in `haystack`. */
export function leakedSecrets(haystack: string): string[] {
  const found = new Set<string>();
  for (const { secret, parts } of probes) {
    if (parts.some((p) => haystack.includes(p))) found.add(secret);
  }
  return [...found];
}
