/*
 * pms.h
 *		Declarations shared across the pms module: settings and SQLSTATE helpers.
 */
#ifndef PMS_H
#define PMS_H

/* pms.correlation_id: copied onto each event row by the command that writes it. */
extern char *pms_correlation_id;

#endif							/* PMS_H */
