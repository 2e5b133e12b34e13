/*
 * bond_schedule.c
 *		Calendar, day counts and cash-flow schedules of fixed-rate bullet
 *		bonds (pure C, no PostgreSQL types).
 *
 * The schedule runs backward from maturity: coupon date k is maturity minus
 * k * (12 / frequency) months, the day clamped to the month's end, never
 * business-day adjusted.  Only the coupons paid after the settlement date
 * count (a coupon paid on the settlement date belongs to the seller).  Each
 * coupon pays 100 * coupon * yf(start, end), and the redemption of 100 is paid
 * with the last coupon.  The first payment's step starts at settle:
 * yf(start, end) - yf(start, settle); every later step is a whole period.
 *
 * Flows are built once per valuation.  When every whole period has the same
 * length in the day count, nothing is stored per flow; otherwise each
 * period's length is kept as an integer number of days, found by walking the
 * first four years of coupon dates and repeating them (the calendar's
 * 1461-day cycle) unless a common century year such as 2100 intervenes.
 * Invariants: at most BOND_MAX_FLOWS flows, every loop bounded by them.
 */
#include "bond_math_int.h"

#include <math.h>
#include <stddef.h>

/* A date with its civil fields, as the 30/360 day count needs both. */
typedef struct BondDate
{
	int			days;
	int			year;
	int			month;
	int			day;
} BondDate;

/* Floor division for possibly negative numerators. */
static inline int
FloorDiv(int a, int b)
{
	int			q = a / b;

	return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* Days since 2000-01-01 of a proleptic Gregorian date (civil-from-days inverse). */
int
BondDaysFromCivil(int year, int month, int day)
{
	int			y = year - (month <= 2);
	int			era = FloorDiv(y, 400);
	int			yoe = y - era * 400;
	int			mp = (month + 9) % 12;
	int			doy = (153 * mp + 2) / 5 + day - 1;
	int			doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	/* 730425 days separate 0000-03-01 from 2000-01-01 */
	return era * 146097 + doe - 730425;
}

/* Proleptic Gregorian date of a day number since 2000-01-01. */
void
BondCivilFromDays(int days, int *year, int *month, int *day)
{
	int			z = days + 730425;
	int			era = FloorDiv(z, 146097);
	int			doe = z - era * 146097;
	int			yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int			doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int			mp = (5 * doy + 2) / 153;

	*day = doy - (153 * mp + 2) / 5 + 1;
	*month = mp < 10 ? mp + 3 : mp - 9;
	*year = yoe + era * 400 + (*month <= 2);
}

/* True in a Gregorian leap year. */
static inline bool
IsLeapYear(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* Number of days in a month. */
static inline int
DaysInMonth(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return (month == 2 && IsLeapYear(year)) ? 29 : days[month - 1];
}

/* A date from its day number. */
static BondDate
MakeDate(int days)
{
	BondDate	d;

	d.days = days;
	BondCivilFromDays(days, &d.year, &d.month, &d.day);
	return d;
}

/* base shifted by a number of months, the day clamped to the month's end. */
static BondDate
AddMonths(const BondDate *base, int months)
{
	int			total = base->year * 12 + (base->month - 1) + months;
	BondDate	d;

	d.year = FloorDiv(total, 12);
	d.month = total - d.year * 12 + 1;
	d.day = base->day;
	if (d.day > DaysInMonth(d.year, d.month))
		d.day = DaysInMonth(d.year, d.month);
	d.days = BondDaysFromCivil(d.year, d.month, d.day);
	return d;
}

/* True when the date is the last day of February. */
static inline bool
IsLastOfFebruary(const BondDate *d)
{
	return d->month == 2 && d->day == DaysInMonth(d->year, 2);
}

/*
 * 30/360 US day count (the QuantLib Thirty360::USA rules, in their order),
 * given whether each date is the last day of February.
 */
static inline int
Days30360Rules(const BondDate *d1, bool feb1, const BondDate *d2, bool feb2)
{
	int			dd1 = d1->day;
	int			dd2 = d2->day;

	if (dd1 == 31)
		dd1 = 30;
	if (dd2 == 31 && dd1 >= 30)
		dd2 = 30;
	if (feb2 && feb1)
		dd2 = 30;
	if (feb1)
		dd1 = 30;
	return 360 * (d2->year - d1->year) + 30 * (d2->month - d1->month) + (dd2 - dd1);
}

/* 30/360 US day count between two dates. */
static int
Days30360US(const BondDate *d1, const BondDate *d2)
{
	return Days30360Rules(d1, IsLastOfFebruary(d1), d2, IsLastOfFebruary(d2));
}

/*
 * Year fraction from d1 to d2 (d1 <= d2) inside the coupon period
 * [ref_start, ref_end].
 */
static double
YearFraction(BondDayCount dc, int frequency, const BondDate *d1, const BondDate *d2,
			 const BondDate *ref_start, const BondDate *ref_end)
{
	switch (dc)
	{
		case BOND_DC_30_360_US:
			return Days30360US(d1, d2) / 360.0;
		case BOND_DC_ACT_ACT_ICMA:
			return (double) (d2->days - d1->days) /
				((double) (ref_end->days - ref_start->days) * frequency);
		case BOND_DC_ACT_360:
			return (d2->days - d1->days) / 360.0;
		case BOND_DC_ACT_365F:
			return (d2->days - d1->days) / 365.0;
	}
	return 0.0;					/* not reached: the enum is closed */
}

/* Validates the terms (dates, frequency, coupon). */
BondStatus
BondCheckTerms(const BondTerms *b)
{
	if (!isfinite(b->coupon))
		return BOND_ERR_NOT_FINITE;
	if (b->settle >= b->maturity)
		return BOND_ERR_SETTLE_NOT_BEFORE_MATURITY;
	if ((double) b->maturity - b->settle > BOND_MAX_TERM_YEARS * 365.25)
		return BOND_ERR_TERM_TOO_LONG;
	if (b->frequency != 1 && b->frequency != 2 && b->frequency != 4 && b->frequency != 12)
		return BOND_ERR_FREQUENCY;
	if (b->coupon < 0.0)
		return BOND_ERR_COUPON_NEGATIVE;
	return BOND_OK;
}

/* Days before each month's first day, in a common and in a leap year. */
static const short MonthStart[2][13] = {
	{0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365},
	{0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366}
};

/*
 * Walks the coupon dates after the first payment date `first` (date k - 1) up
 * to maturity, a step of `months` at a time with the day clamped to
 * maturity_day, tracking the year's first day instead of converting each
 * date.  Writes each whole period's days in the day count (days[i], for
 * 30/360 and the actual counts) and each payment date (pay_days[i]); either
 * array may be NULL; index 0 is the first payment.  The calendar repeats
 * every four years (1461 days) unless a common century year such as 2100
 * intervenes, so only the first four years are walked when none does.
 */
static void
WalkPeriods(BondDayCount dc, int months, int maturity_day, const BondDate *first, int k,
			int last_year, int *days, int *pay_days)
{
	BondDate	prev = *first;
	BondDate	cur = *first;
	int			leap = IsLeapYear(cur.year);
	int			year_start = first->days - MonthStart[leap][first->month - 1] - (first->day - 1);
	bool		prev_feb = IsLastOfFebruary(first);
	int			cycle = 48 / months;	/* periods in four years */
	int			walk_to = k;

	if (k > cycle + 1)
	{
		bool		periodic = true;

		for (int y = FloorDiv(first->year + 99, 100) * 100; y <= last_year; y += 100)
			if (!IsLeapYear(y))
				periodic = false;
		if (periodic)
			walk_to = cycle + 1;
	}
	for (int i = 1; i < walk_to; i++)
	{
		int			dim;
		bool		cur_feb;

		cur.month += months;
		if (cur.month > 12)
		{
			cur.month -= 12;
			year_start += 365 + leap;
			cur.year++;
			leap = IsLeapYear(cur.year);
		}
		dim = MonthStart[leap][cur.month] - MonthStart[leap][cur.month - 1];
		cur.day = maturity_day < dim ? maturity_day : dim;
		cur.days = year_start + MonthStart[leap][cur.month - 1] + cur.day - 1;
		cur_feb = (cur.month == 2 && cur.day == dim);
		if (days != NULL)
			days[i] = (dc == BOND_DC_30_360_US) ? Days30360Rules(&prev, prev_feb, &cur, cur_feb)
				: cur.days - prev.days;
		if (pay_days != NULL)
			pay_days[i] = cur.days;
		prev = cur;
		prev_feb = cur_feb;
	}
	for (int i = walk_to; i < k; i++)
	{
		if (days != NULL)
			days[i] = days[i - cycle];
		if (pay_days != NULL)
			pay_days[i] = pay_days[i - cycle] + 1461;
	}
}

/*
 * Builds the remaining cash flows and the accrued interest of valid terms;
 * pay_days, when not NULL, receives every payment date.
 */
static void
BuildFlows(const BondTerms *b, BondFlows *fl, int *pay_days)
{
	int			months = 12 / b->frequency;
	BondDate	maturity = MakeDate(b->maturity);
	BondDate	settle = MakeDate(b->settle);
	BondDate	start;
	BondDate	end;
	int			k;
	double		period;

	/* k: the coupon period that holds settle, date k <= settle < date k - 1 */
	k = ((maturity.year - settle.year) * 12 + (maturity.month - settle.month)) / months;
	if (k < 1)
		k = 1;
	start = AddMonths(&maturity, -k * months);
	while (start.days > settle.days)
		start = AddMonths(&maturity, -(++k) * months);
	while (k > 1)
	{
		BondDate	later = AddMonths(&maturity, -(k - 1) * months);

		if (later.days > settle.days)
			break;
		start = later;
		k--;
	}
	end = (k == 1) ? maturity : AddMonths(&maturity, -(k - 1) * months);

	/* the current period: its coupon, the accrued part and the first step */
	fl->n = k;
	fl->frequency = b->frequency;
	fl->coupon100 = 100.0 * b->coupon;
	period = YearFraction(b->day_count, b->frequency, &start, &end, &start, &end);
	fl->first_period = period;
	fl->first_step = period;
	fl->accrued = 0.0;
	if (settle.days != start.days)
	{
		double		accrued = YearFraction(b->day_count, b->frequency,
										   &start, &settle, &start, &end);

		fl->accrued = fl->coupon100 * accrued;
		fl->first_step = period - accrued;
	}

	/*
	 * Later periods.  ACT/ACT gives every whole period D / (D f), which is
	 * 1 / f exactly after rounding; 30/360 gives 360 / f days when the
	 * maturity day is at most 27 (no date is then clamped, on the 31st or the
	 * last day of February).  Otherwise each period's days are counted.
	 */
	fl->denominator = (b->day_count == BOND_DC_ACT_365F) ? 365.0 : 360.0;
	fl->uniform = (b->day_count == BOND_DC_ACT_ACT_ICMA ||
				   (b->day_count == BOND_DC_30_360_US && maturity.day <= 27));
	fl->step = (b->day_count == BOND_DC_ACT_ACT_ICMA) ? 1.0 / b->frequency
		: (360 / b->frequency) / 360.0;
	if (pay_days != NULL)
		pay_days[0] = end.days;
	if (!fl->uniform || pay_days != NULL)
		WalkPeriods(b->day_count, months, maturity.day, &end, k, maturity.year,
					fl->uniform ? NULL : fl->days, pay_days);
}

/* The amount of payment i (coupon, plus the redemption on the last one). */
double
BondFlowAmount(const BondFlows *fl, int i)
{
	double		period = (i == 0) ? fl->first_period
		: fl->uniform ? fl->step : fl->days[i] / fl->denominator;
	double		a = fl->coupon100 * period;

	return (i == fl->n - 1) ? a + 100.0 : a;
}

/*
 * Validates the terms and builds their flows; pay_days, when not NULL,
 * receives each payment date (days since 2000-01-01).
 */
BondStatus
BondPrepareFlows(const BondTerms *b, BondFlows *fl, int *pay_days)
{
	BondStatus	st = BondCheckTerms(b);

	if (st == BOND_OK)
		BuildFlows(b, fl, pay_days);
	return st;
}
