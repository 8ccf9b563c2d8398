import { randomUUID } from 'node:crypto';
import { ServerDuplexStream, ServerWritableStream, status, UntypedServiceImplementation } from '@grpc/grpc-js';
import { BatchAppendReq, BatchAppendResp, ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { AllStreamPosition } from '@eventstore/db-client/generated/shared_pb';
import { Expected, InMemoryLog, ProposedEvent, StoredEvent } from './in-memory-log';
import { createdNow, eventResponse, filterOf, streamNameOf, wrongExpectedVersionStatus } from './wire';

type ReadCall = ServerWritableStream<ReadReq, ReadResp>;
type BatchAppendCall = ServerDuplexStream<BatchAppendReq, BatchAppendResp>;

/** Streams.Read and Streams.BatchAppend; Append, Delete and Tombstone answer UNIMPLEMENTED. */
export function streamsService(log: InMemoryLog): UntypedServiceImplementation {
  return {
    read: (call: ReadCall) => {
      const options = call.request.getOptions();
      if (!options) return fail(call, status.INVALID_ARGUMENT, 'read without options');
      if (options.getUuidOption()?.hasStructured()) return fail(call, status.UNIMPLEMENTED, 'structured UUIDs');
      if (options.hasStream()) {
        if (options.hasSubscription()) return fail(call, status.UNIMPLEMENTED, 'stream subscriptions');
        return readStream(log, call, options);
      }
      return options.hasSubscription() ? subscribeToAll(log, call, options) : readAll(log, call, options);
    },
    batchAppend: (call: BatchAppendCall) => batchAppend(log, call),
  };
}

function readStream(log: InMemoryLog, call: ReadCall, options: ReadReq.Options): void {
  const streamOptions = options.getStream()!;
  const events = log.stream(streamNameOf(streamOptions.getStreamIdentifier()));
  if (!events) {
    // Not a gRPC error: the server answers with a StreamNotFound message and ends the call normally.
    call.write(new ReadResp().setStreamNotFound(new ReadResp.StreamNotFound().setStreamIdentifier(streamOptions.getStreamIdentifier())));
    return void call.end();
  }
  const backwards = isBackwards(options);
  const last = BigInt(events.length - 1);
  const from = streamOptions.hasRevision()
    ? BigInt(streamOptions.getRevision())
    : streamOptions.hasStart()
      ? 0n
      : backwards
        ? last
        : last + 1n;
  const selected = backwards ? events.filter((e) => e.revision <= from).reverse() : events.filter((e) => e.revision >= from);
  writeAndEnd(call, selected, options);
}

/** Forwards from a position includes the event at that position; backwards from one excludes it. */
function readAll(log: InMemoryLog, call: ReadCall, options: ReadReq.Options): void {
  const start = startOf(options);
  const matches = filterOf(options);
  const selected = isBackwards(options)
    ? log.all.filter((e) => start === 'end' || (start !== 'start' && e.position < start)).reverse()
    : log.all.filter((e) => start === 'start' || (start !== 'end' && e.position >= start));
  writeAndEnd(call, selected.filter(matches), options);
}

/** Confirmation, catch-up strictly after the start position, a checkpoint if filtered, then live appends. */
function subscribeToAll(log: InMemoryLog, call: ReadCall, options: ReadReq.Options): void {
  if (isBackwards(options)) return fail(call, status.INVALID_ARGUMENT, 'subscriptions read forwards');
  const start = startOf(options);
  const matches = filterOf(options);
  const send = (event: StoredEvent) => {
    if (!call.cancelled && matches(event)) call.write(eventResponse(event));
  };
  call.write(new ReadResp().setConfirmation(new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID())));
  log.all.filter((e) => start === 'start' || (start !== 'end' && e.position > start)).forEach(send);
  const last = log.all[log.all.length - 1];
  if (options.hasFilter() && last) {
    const position = last.position.toString();
    call.write(new ReadResp().setCheckpoint(new ReadResp.Checkpoint().setCommitPosition(position).setPreparePosition(position)));
  }
  // Catch-up above and registration here run in one turn, so no append can slip between them.
  const stop = log.onAppend(send);
  call.on('cancelled', stop);
  call.on('close', stop);
}

/**
 * One long-lived call carries many appends, told apart by correlation id. The
 * first request of an append carries its options; proposed messages may span
 * several requests until one is marked final.
 */
function batchAppend(log: InMemoryLog, call: BatchAppendCall): void {
  const pending = new Map<string, { options: BatchAppendReq.Options; proposed: ProposedEvent[] }>();
  call.on('data', (request: BatchAppendReq) => {
    const correlationId = request.getCorrelationId();
    const key = correlationId?.getString() ?? '';
    const options = pending.get(key)?.options ?? request.getOptions();
    if (!correlationId || !options) return fail(call, status.INVALID_ARGUMENT, 'batch without correlation id or options');
    const batch = pending.get(key) ?? { options, proposed: [] };
    batch.proposed.push(...request.getProposedMessagesList().map(toProposed));
    if (!request.getIsFinal()) return void pending.set(key, batch);
    pending.delete(key);
    if (batch.proposed.length === 0) return fail(call, status.UNIMPLEMENTED, 'empty appends');

    const expected = expectedOf(options);
    const outcome = log.append(streamNameOf(options.getStreamIdentifier()), expected, batch.proposed);
    const response = new BatchAppendResp().setCorrelationId(correlationId).setStreamIdentifier(options.getStreamIdentifier());
    if (outcome.ok) {
      const position = new AllStreamPosition()
        .setCommitPosition(outcome.position.toString())
        .setPreparePosition(outcome.position.toString());
      response.setSuccess(new BatchAppendResp.Success().setCurrentRevision(outcome.revision.toString()).setPosition(position));
    } else {
      response.setError(wrongExpectedVersionStatus(expected, outcome.currentRevision));
    }
    call.write(response);
  });
  call.on('end', () => call.end());
}

function toProposed(message: BatchAppendReq.ProposedMessage): ProposedEvent {
  const metadata = new Map<string, string>();
  message.getMetadataMap().forEach((value, key) => metadata.set(key, value));
  metadata.set('created', createdNow());
  return {
    id: message.getId()?.getString() ?? '',
    metadata,
    data: message.getData_asU8(),
    customMetadata: message.getCustomMetadata_asU8(),
  };
}

function expectedOf(options: BatchAppendReq.Options): Expected {
  if (options.hasStreamPosition()) return BigInt(options.getStreamPosition());
  if (options.hasNoStream()) return 'no_stream';
  if (options.hasStreamExists()) return 'stream_exists';
  return 'any';
}

function startOf(options: ReadReq.Options): bigint | 'start' | 'end' {
  const all = options.getAll()!;
  if (all.hasPosition()) return BigInt(all.getPosition()!.getCommitPosition());
  return all.hasEnd() ? 'end' : 'start';
}

function isBackwards(options: ReadReq.Options): boolean {
  return options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
}

function writeAndEnd(call: ReadCall, events: StoredEvent[], options: ReadReq.Options): void {
  const count = options.hasCount() ? Number(options.getCount()) : events.length;
  for (const event of events.slice(0, count)) call.write(eventResponse(event));
  call.end();
}

function fail(call: ReadCall | BatchAppendCall, code: status, details: string): void {
  call.emit('error', Object.assign(new Error(details), { code, details: `eventstoredb double: ${details}` }));
}
