/*
 * pms.h
 *		Declarations shared across the pms module: settings and subsystem init hooks.
 */
#ifndef PMS_H
#define PMS_H

/* pms.correlation_id: copied onto each event row by the command that writes it. */
extern char *pms_correlation_id;

/* pms.as_of / pms.known_at: the session's default clocks ('' means today / now). */
extern char *pms_as_of;
extern char *pms_known_at;

/* pms.position_basis: which date positions are dated by. */
typedef enum PositionBasis
{
	POSITION_BASIS_TRADE,
	POSITION_BASIS_SETTLE
} PositionBasis;
extern int	pms_position_basis;

/* pms.max_price_age (days) and pms.fx_pivot: how valuations read market data. */
extern int	pms_max_price_age;
extern char *pms_fx_pivot;

/* pms.drift_duration_weight, _bucket_weight, _warning_band, _rebalance_threshold: drift rules. */
extern double pms_drift_duration_weight;
extern double pms_drift_bucket_weight;
extern double pms_drift_warning_band;
extern double pms_drift_rebalance_threshold;

/* A date as YYYY-MM-DD whatever the DateStyle, for messages (messages.c). */
#include "utils/date.h"
extern char *IsoDate(DateADT day);

/* Registers the time-travel settings (settings.c). */
extern void SettingsInit(void);

#endif							/* PMS_H */
