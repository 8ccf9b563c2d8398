import { parentPort } from 'node:worker_threads';
import { encodeMemberState } from '@loyalty/domain';
import { EncodeReply, StateAssembly, StatePart } from './snapshot-encoder';

/** States arriving in parts, by request. */
const arriving = new Map<number, StateAssembly>();

/** The codec itself, on a thread of its own: a long history's state takes tens of milliseconds to encode. */
parentPort!.on('message', (part: StatePart) => {
  let assembly = arriving.get(part.id);
  if (!assembly) arriving.set(part.id, (assembly = new StateAssembly()));
  if (!('end' in part)) return assembly.add(part);
  arriving.delete(part.id);
  if (part.end === 'drop') return;
  let reply: EncodeReply;
  try {
    reply = { id: part.id, text: encodeMemberState(assembly.state()) };
  } catch (error) {
    reply = { id: part.id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort!.postMessage(reply);
});
