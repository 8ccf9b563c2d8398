/**
 * TEST DOUBLE — an in-memory stand-in for an EventStoreDB node, speaking the
 * gRPC wire API from the service definitions shipped in @eventstore/db-client.
 *
 * It exists so the real EventStoreDBClient, and our adapter on top of it, can
 * be exercised without a server: it checks that we drive the wire API the way
 * the client expects (capability probe, BatchAppend, reads, catch-up
 * subscriptions with filters). It is NOT EventStoreDB and does not vouch for its
 * semantics: no authentication or ACLs, no idempotent re-append by event id, no
 * deletes, links, projections, server-written system events, explicit
 * transactions, max search windows, caught-up/fell-behind signals, flow control
 * or .NET regex dialect. Run the contract against a real server
 * (EVENTSTORE_URL) for those.
 */
import { sendUnaryData, Server, ServerCredentials, ServerUnaryCall } from '@grpc/grpc-js';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { InMemoryLog } from './in-memory-log';
import { streamsService } from './streams-service';

export interface EventStoreDbDouble {
  /** Insecure single-node connection string for EventStoreDBClient.connectionString. */
  readonly connectionString: string;
  /** Drops every call and connection, as a server restart does, and serves the same log on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Advertising BatchAppend makes the client append the way it does against a
 * real 21.10+ server; without it the client would fall back to Streams.Append.
 */
const ADVERTISED = [StreamsService.read, StreamsService.batchAppend];

function getSupportedMethods(_call: ServerUnaryCall<Empty, SupportedMethods>, callback: sendUnaryData<SupportedMethods>) {
  const methods = ADVERTISED.map(({ path }) => {
    const [, serviceName = '', methodName = ''] = path.split('/');
    return new SupportedMethod().setServiceName(serviceName).setMethodName(methodName);
  });
  callback(null, new SupportedMethods().setEventStoreServerVersion('0.0.0-test-double').setMethodsList(methods));
}

export async function startEventStoreDbDouble(): Promise<EventStoreDbDouble> {
  const log = new InMemoryLog();
  const listening = await listen(log, 0);
  const port = listening.port;
  let server = listening.server;
  return {
    connectionString: `esdb://127.0.0.1:${port}?tls=false`,
    restart: async () => {
      server.forceShutdown();
      ({ server } = await listen(log, port));
    },
    // Forced: live subscriptions never finish on their own.
    stop: () => {
      server.forceShutdown();
      return Promise.resolve();
    },
  };
}

async function listen(log: InMemoryLog, port: number): Promise<{ server: Server; port: number }> {
  const server = new Server();
  server.addService(StreamsService, streamsService(log));
  server.addService(ServerFeaturesService, { getSupportedMethods });
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (error, actual) => (error ? reject(error) : resolve(actual))),
  );
  return { server, port: bound };
}
