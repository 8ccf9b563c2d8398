/**
 * given(events).when(command).then(events) | .thenThrows(code): domain tests
 * that read as the business speaks.
 */
export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

export function deciderSpecification<Command, Event, State>(decider: Decider<Command, Event, State>) {
  return {
    given(history: readonly Event[]) {
      const state = history.reduce((s, event) => decider.evolve(s, event), decider.initialState());
      return {
        when(command: Command) {
          const run = () => decider.decide(command, state);
          return {
            then(expected: readonly Event[]) {
              expect(run()).toEqual(expected);
            },
            thenMatches(check: (events: Event[]) => void) {
              check(run());
            },
            thenNothing() {
              expect(run()).toEqual([]);
            },
            thenThrows(code: string, details?: Record<string, unknown>) {
              let caught: unknown;
              try {
                run();
              } catch (error) {
                caught = error;
              }
              // @types/jest types asymmetric matchers `any`.
              expect(caught).toMatchObject(details ? { code, details: expect.objectContaining(details) as unknown } : { code });
            },
          };
        },
      };
    },
  };
}
