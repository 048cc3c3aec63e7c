/* rc-test-sim.h: unit tests that talk to the in-process simulator (tests/simulator). */
#pragma once

#include "rc-client.h"
#include "rc-sim.h"

G_BEGIN_DECLS

/* A simulator started on an ephemeral loopback port from @scenario_json (see
 * tests/scenarios/README.md); the test fails when it cannot start. */
RcSim *rc_test_sim_start (const char *scenario_json);

/* A client of @sim, signed in with the demo credentials (JWT grant done, so requests carry a
 * token); the simulator's request log is cleared afterwards. */
RcClient *rc_test_sim_client (RcSim *sim);

G_END_DECLS
