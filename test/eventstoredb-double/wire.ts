import { dirname } from 'node:path';
import { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { StreamIdentifier, UUID, WrongExpectedVersion } from '@eventstore/db-client/generated/shared_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import { Code } from '@eventstore/db-client/generated/code_pb';
import type * as AnyPb from 'google-protobuf/google/protobuf/any_pb';
import type * as EmptyPb from 'google-protobuf/google/protobuf/empty_pb';
import { Expected, StoredEvent } from './in-memory-log';

/**
 * The generated messages were compiled against the client's own copy of
 * google-protobuf (which registers itself on a global namespace), so the
 * well-known types must come from that same copy, never from ours.
 */
const clientPackageDir = dirname(require.resolve('@eventstore/db-client/package.json'));
function fromClientDependencies<T>(id: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(require.resolve(id, { paths: [clientPackageDir] })) as T;
}
const { Any } = fromClientDependencies<typeof AnyPb>('google-protobuf/google/protobuf/any_pb.js');
const { Empty } = fromClientDependencies<typeof EmptyPb>('google-protobuf/google/protobuf/empty_pb.js');

/** .NET ticks (100ns) since the Unix epoch, as the server reports `created`. */
const TICKS_PER_MS = 10_000n;

export function streamNameOf(identifier: StreamIdentifier | undefined): string {
  return Buffer.from(identifier?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');
}

export function streamIdentifier(name: string): StreamIdentifier {
  return new StreamIdentifier().setStreamName(Buffer.from(name, 'utf8'));
}

export function eventResponse(event: StoredEvent): ReadResp {
  const recorded = new ReadResp.ReadEvent.RecordedEvent()
    .setId(new UUID().setString(event.id))
    .setStreamIdentifier(streamIdentifier(event.streamName))
    .setStreamRevision(event.revision.toString())
    .setCommitPosition(event.position.toString())
    .setPreparePosition(event.position.toString())
    .setData(event.data)
    .setCustomMetadata(event.customMetadata);
  const metadata = recorded.getMetadataMap();
  for (const [key, value] of event.metadata) metadata.set(key, value);
  return new ReadResp().setEvent(new ReadResp.ReadEvent().setEvent(recorded).setCommitPosition(event.position.toString()));
}

export function createdNow(): string {
  return (BigInt(Date.now()) * TICKS_PER_MS).toString();
}

/** The predicate a read or subscription filter describes; stream-name or event-type, prefixes or a regex. */
export function filterOf(options: ReadReq.Options): (event: StoredEvent) => boolean {
  const filter = options.getFilter();
  if (!filter) return () => true;
  const onStream = filter.hasStreamIdentifier();
  const expression = onStream ? filter.getStreamIdentifier() : filter.getEventType();
  const prefixes = expression?.getPrefixList() ?? [];
  // JavaScript's RegExp stands in for the server's .NET regex; fine for anchored alternations.
  const regex = new RegExp(expression?.getRegex() ?? '');
  return (event) => {
    const value = onStream ? event.streamName : (event.metadata.get('type') ?? '');
    return prefixes.length > 0 ? prefixes.some((p) => value.startsWith(p)) : regex.test(value);
  };
}

/** BatchAppend reports a failed expectation as a google.rpc.Status carrying WrongExpectedVersion details. */
export function wrongExpectedVersionStatus(expected: Expected, currentRevision: bigint | undefined): Status {
  const details = new WrongExpectedVersion();
  if (currentRevision === undefined) details.setCurrentNoStream(new Empty());
  else details.setCurrentStreamRevision(currentRevision.toString());
  if (expected === 'no_stream') details.setExpectedNoStream(new Empty());
  else if (expected === 'stream_exists') details.setExpectedStreamExists(new Empty());
  else if (expected === 'any') details.setExpectedAny(new Empty());
  else details.setExpectedStreamPosition(expected.toString());
  const packed = new Any();
  packed.pack(details.serializeBinary(), 'event_store.client.WrongExpectedVersion');
  return new Status().setCode(Code.FAILED_PRECONDITION).setMessage('WrongExpectedVersion').setDetails(packed);
}
