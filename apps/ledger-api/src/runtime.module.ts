import { DynamicModule, Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventStore } from '@loyalty/event-store';
import { KafkaRelay, NotificationRelay } from '@loyalty/messaging';
import { LedgerConfig, LedgerMetrics, PersonalDataVault } from '@loyalty/platform';
import { Projector } from '@loyalty/read-models';
import { WebhookWorker } from '@loyalty/webhooks';
import {
  CLOCK,
  Clock,
  EVENT_STORE,
  LEDGER_CONFIG,
  METRICS,
  NOTIFICATION_RELAY,
  PROJECTOR,
  READ_MODELS,
  RELAY,
  VAULT,
  WEBHOOKS,
} from './tokens';

/** What the composition root built before Nest starts; Nest only wires it to HTTP. */
export interface LedgerRuntime {
  readonly config: LedgerConfig;
  readonly store: EventStore;
  readonly readModels: DataSource;
  readonly projector: Projector | null;
  readonly relay: KafkaRelay | null;
  readonly notificationRelay: NotificationRelay | null;
  readonly vault: PersonalDataVault;
  readonly clock: Clock;
  readonly metrics: LedgerMetrics;
  readonly webhooks: WebhookWorker;
}

/** The adapters, provided once for every area: the composition root owns their lifetimes, not Nest. */
@Global()
@Module({})
export class RuntimeModule {
  static register(runtime: LedgerRuntime): DynamicModule {
    const providers = [
      { provide: LEDGER_CONFIG, useValue: runtime.config },
      { provide: EVENT_STORE, useValue: runtime.store },
      { provide: READ_MODELS, useValue: runtime.readModels },
      { provide: PROJECTOR, useValue: runtime.projector },
      { provide: RELAY, useValue: runtime.relay },
      { provide: NOTIFICATION_RELAY, useValue: runtime.notificationRelay },
      { provide: VAULT, useValue: runtime.vault },
      { provide: CLOCK, useValue: runtime.clock },
      { provide: METRICS, useValue: runtime.metrics },
      { provide: WEBHOOKS, useValue: runtime.webhooks },
    ];
    return { module: RuntimeModule, providers, exports: providers.map((p) => p.provide) };
  }
}
