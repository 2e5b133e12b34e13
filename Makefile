# pms: PGXS build. The install script is concatenated from sql/ sources in a fixed order.
EXTENSION    = pms
EXTVERSION   = $(shell grep default_version $(EXTENSION).control | sed -e "s/default_version[[:space:]]*=[[:space:]]*'\([^']*\)'/\1/")

# Extension SQL sources, in install order (each file is one concern).
SQL_SOURCES  = \
	sql/00_preamble.sql \
	sql/10_reference.sql \
	sql/20_events.sql \
	sql/30_households.sql \
	sql/40_instruments.sql \
	sql/50_bond_analytics.sql \
	sql/51_bond_curves.sql \
	sql/50_position_fold.sql \
	sql/55_executions.sql \
	sql/57_projection.sql \
	sql/58_trading_commands.sql \
	sql/59_time_travel.sql \
	sql/60_simulation.sql \
	sql/61_snapshot_request.sql \
	sql/70_models.sql \
	sql/71_targets.sql \
	sql/80_market_data.sql \
	sql/82_valuation.sql \
	sql/84_drift.sql \
	sql/90_reads.sql

MODULE_big   = $(EXTENSION)
OBJS         = \
	src/pms.o \
	src/append_only.o \
	src/messages.o \
	src/bond_math.o \
	src/bond_schedule.o \
	src/bond_curve.o \
	src/bond_sql.o \
	src/identifiers.o \
	src/identifiers_sql.o \
	src/settings.o \
	src/business_days.o \
	src/executions.o \
	src/execution_batch.o \
	src/uuid_v7.o \
	src/position_fold.o \
	src/position_fold_sql.o \
	src/valuation_sums.o \
	src/decimal.o \
	src/simjson.o \
	src/simulate.o \
	src/simulate_request.o \
	src/simulate_output.o \
	src/simulate_sql.o \
	src/drift.o \
	src/drift_sql.o \
	src/exposure_scan.o \
	src/spi_stream.o

DATA_built   = sql/$(EXTENSION)--$(EXTVERSION).sql
DATA         = $(filter-out $(DATA_built), $(wildcard sql/$(EXTENSION)--*--*.sql))

TESTS        = $(sort $(wildcard test/sql/*.sql))
REGRESS      = $(patsubst test/sql/%.sql,%,$(TESTS))
REGRESS_OPTS = --inputdir=test
ISOLATION    = $(patsubst test/specs/%.spec,%,$(sort $(wildcard test/specs/*.spec)))
ISOLATION_OPTS = --inputdir=test

PG_CPPFLAGS  = -I$(srcdir)/src
PG_CFLAGS    = -Wall -Wmissing-prototypes -Werror=implicit-function-declaration

EXTRA_CLEAN  = $(DATA_built) results/ output_iso/ regression.diffs regression.out

PG_CONFIG   ?= $(shell test -x /usr/lib/postgresql/15/bin/pg_config && echo /usr/lib/postgresql/15/bin/pg_config || echo pg_config)
PGXS        := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# PGXS tracks no header dependencies: rebuild every object when any header changes.
$(OBJS): $(wildcard src/*.h)

$(DATA_built): $(SQL_SOURCES) $(EXTENSION).control Makefile
	@{ echo "-- pms $(EXTVERSION): generated from sql/*.sql by make; do not edit."; \
	   printf '%s\n' '\echo Use "CREATE EXTENSION $(EXTENSION)" to load this file. \quit'; \
	   for f in $(SQL_SOURCES); do echo; echo "-- ==== $$f"; cat $$f; done; } > $@

.PHONY: demo test
demo:
	bash scripts/demo.sh
test:
	bash scripts/test.sh
