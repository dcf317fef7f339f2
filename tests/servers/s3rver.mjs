// s3rver on 127.0.0.1, with the conditional writes S3 has had since 2024 (PutObject and
// CompleteMultipartUpload with If-None-Match: * and If-Match: "etag"), which s3rver 3.7.1 predates and ignores. The middleware
// below implements them as S3 documents them (412 PreconditionFailed; 404 NoSuchKey for If-Match on
// a missing key) and serialises writes to one key, so that the check and the write are atomic.
// Everything else is s3rver's own.
// usage: node s3rver.mjs <port> <directory>
import S3rver from 's3rver';

const [port, directory] = process.argv.slice(2);
const server = new S3rver({ address: '127.0.0.1', port: Number(port), directory, silent: true });
const queues = new Map();

function fail(ctx, status, code, message) {
  ctx.status = status;
  ctx.type = 'application/xml';
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}

async function conditionalPut(ctx, next) {
  const ifNoneMatch = ctx.get('if-none-match');
  const ifMatch = ctx.get('if-match');
  const [, bucket, ...rest] = ctx.path.split('/');
  // PutObject, and CompleteMultipartUpload (POST ?uploadId=), which takes the same conditions; not UploadPart.
  const put = ctx.method === 'PUT' && !('uploadId' in ctx.query) && !('partNumber' in ctx.query);
  const complete = ctx.method === 'POST' && 'uploadId' in ctx.query;
  if ((!put && !complete) || (!ifNoneMatch && !ifMatch) || rest.length === 0) {
    return next();
  }
  const key = decodeURIComponent(rest.join('/'));
  const id = `${bucket}/${key}`;
  const previous = queues.get(id) ?? Promise.resolve();
  let release;
  const mine = new Promise(resolve => { release = resolve; });
  const tail = previous.then(() => mine);
  queues.set(id, tail);
  await previous;
  try {
    const exists = await ctx.app.store.existsObject(bucket, key);
    if (ifNoneMatch === '*' && exists) {
      return fail(ctx, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
    }
    if (ifMatch) {
      if (!exists) return fail(ctx, 404, 'NoSuchKey', 'The specified key does not exist.');
      const current = (await ctx.app.store.getMetadata(bucket, key)).etag;
      if (current !== ifMatch) return fail(ctx, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
    }
    await next();
  } finally {
    release();
    if (queues.get(id) === tail) queues.delete(id);
  }
}

// First in the chain: before s3rver's router writes anything.
server.middleware.unshift(conditionalPut);
const { address, port: bound } = await server.run();
console.log(`s3rver listening on ${address}:${bound}`);
