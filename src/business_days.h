/*
 * business_days.h
 *		Weekend-skipping business-day arithmetic on day numbers (pure C).
 */
#ifndef PMS_BUSINESS_DAYS_H
#define PMS_BUSINESS_DAYS_H

#include <stdint.h>

/*
 * Day number (days since 2000-01-01, PostgreSQL's DateADT) plus n business
 * days, Saturdays and Sundays skipped; n = 0 rolls a weekend day forward.
 */
extern int32_t AddBusinessDays(int32_t day, int n);

#endif							/* PMS_BUSINESS_DAYS_H */
