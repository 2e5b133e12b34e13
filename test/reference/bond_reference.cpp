/*
 * bond_reference.cpp
 *		Reference values for pms bond analytics, computed by QuantLib 1.29
 *		(an independent implementation; nothing here is linked into pms).
 *
 * Build and run (Debian 12: apt-get install libquantlib0-dev):
 *
 *   g++ -std=c++17 -O2 -o /tmp/bond_reference test/reference/bond_reference.cpp -lQuantLib
 *   /tmp/bond_reference > test/reference/bond_reference.csv
 *   /tmp/bond_reference curves > test/reference/zero_curves.csv
 *   /tmp/bond_reference curve > test/reference/bond_curve_reference.csv
 *
 * The grid is deterministic (no randomness, no clock): frequencies 1/2/4/12, the
 * four day counts, coupons 0-10%, maturities up to 40 years (several month ends),
 * settle dates on a coupon date and between coupon dates, several yields.
 *
 * Each bond is a QuantLib FixedRateBond with settlementDays 0, face 100, a
 * Schedule generated Backward from maturity with NullCalendar, Unadjusted and
 * endOfMonth false, whose effective date is the regular coupon date on or before
 * settle (so every period is regular).  The evaluation date is the settle date.
 * Day counts: '30/360' = Thirty360(USA), 'ACT/ACT' = ActualActual(ISMA, schedule),
 * 'ACT/360' = Actual360, 'ACT/365F' = Actual365Fixed.  The yield is an
 * InterestRate(yield, same day counter, Compounded, frequency).  dv01 is
 * -BondFunctions::basisPointValue (positive for a long position).
 *
 * Curve pricing ("curve"): the same bonds priced off the zero curves listed by
 * "curves" (tenors as whole days from settle, so a tenor is days / 365 years
 * in ACT/365F, exactly as pms reads it) plus a z-spread.  Each curve is an
 * InterpolatedZeroCurve<Linear> (Actual365Fixed, continuous compounding) with
 * two extra nodes that make it flat outside its tenors, as pms defines it: one
 * at the settle date with the first rate, one 100 years out with the last.
 * The clean price is BondFunctions::cleanPrice(bond, curve, spread,
 * Actual365Fixed, Continuous, NoFrequency, settle), i.e. every flow discounted
 * by exp(-(z(T) + spread) T); the yield is solved back from it and the
 * durations, convexity and DV01 are taken at that yield.
 */
#include <ql/quantlib.hpp>

#include <cstdio>
#include <string>
#include <vector>

using namespace QuantLib;

namespace {

/* The day counter of a pms day count name. */
DayCounter dayCounter(const std::string& name, const Schedule& schedule) {
    if (name == "30/360")
        return Thirty360(Thirty360::USA);
    if (name == "ACT/ACT")
        return ActualActual(ActualActual::ISMA, schedule);
    if (name == "ACT/360")
        return Actual360();
    return Actual365Fixed();
}

/* The regular coupon date on or before settle: maturity minus k periods. */
Date previousCouponDate(const Date& settle, const Date& maturity, Integer months) {
    for (Integer k = 1;; ++k) {
        Date d = maturity - Period(k * months, Months);   /* clamps to the month's end */
        if (d <= settle)
            return d;
    }
}

/* ISO text of a date. */
std::string iso(const Date& d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year(), int(d.month()), d.dayOfMonth());
    return buf;
}

/* A zero curve: tenors in whole days from settle, continuously compounded rates. */
struct ZeroCurveDef {
    const char* name;
    std::vector<int> days;
    std::vector<double> rates;
};

const std::vector<ZeroCurveDef>& zeroCurves() {
    static const std::vector<ZeroCurveDef> curves = {
        {"upward", {30, 91, 182, 365, 730, 1095, 1826, 2557, 3652, 7305, 10957},
         {0.030, 0.031, 0.032, 0.034, 0.036, 0.037, 0.039, 0.040, 0.041, 0.043, 0.044}},
        {"humped", {91, 365, 1826, 3652}, {-0.002, 0.01, 0.025, 0.02}},
        {"single", {730}, {0.05}}};
    return curves;
}

/* The pms curve as a QuantLib zero curve, flat outside its tenors. */
ext::shared_ptr<YieldTermStructure> quantlibCurve(const ZeroCurveDef& c, const Date& settle) {
    std::vector<Date> dates = {settle};
    std::vector<Rate> rates = {c.rates.front()};
    for (Size i = 0; i < c.days.size(); ++i) {
        dates.push_back(settle + c.days[i]);
        rates.push_back(c.rates[i]);
    }
    dates.push_back(settle + 36500);
    rates.push_back(c.rates.back());
    return ext::make_shared<InterpolatedZeroCurve<Linear>>(dates, rates, Actual365Fixed());
}

/* Prints the curve definitions: curve,tenor_days,zero_rate. */
void printCurves() {
    std::printf("curve,tenor_days,zero_rate\n");
    for (const ZeroCurveDef& c : zeroCurves())
        for (Size i = 0; i < c.days.size(); ++i)
            std::printf("%s,%d,%.4f\n", c.name, c.days[i], c.rates[i]);
}

}  // namespace

/* Prints the curve-pricing rows (see the header comment). */
static void printCurveRows() {
    const std::vector<int> frequencies = {1, 2, 4, 12};
    const std::vector<std::string> dayCounts = {"30/360", "ACT/ACT", "ACT/360", "ACT/365F"};
    const std::vector<double> coupons = {0.0, 0.0275, 0.0725};
    const std::vector<Date> maturities = {
        Date(31, December, 2026), Date(28, February, 2027), Date(31, August, 2029),
        Date(31, March, 2031), Date(30, November, 2036), Date(29, February, 2048),
        Date(15, May, 2066)};
    const std::vector<Date> settles = {Date(28, February, 2026), Date(31, August, 2026),
                                       Date(7, October, 2026)};
    const std::vector<double> spreads = {0.0, 0.0075, -0.0015, 0.02};

    std::printf("curve,spread,frequency,day_count,coupon,settle,maturity,clean,dirty,accrued,"
                "yield,modified_duration,macaulay_duration,convexity,dv01\n");
    int row = 0;
    for (int freq : frequencies)
        for (const std::string& dcName : dayCounts)
            for (double coupon : coupons)
                for (const Date& maturity : maturities)
                    for (Size s = 0; s <= settles.size(); ++s) {
                        Integer months = 12 / freq;
                        Date settle = s < settles.size()
                                          ? settles[s]
                                          : previousCouponDate(Date(15, June, 2026), maturity, months);
                        if (settle >= maturity)
                            continue;
                        Date effective = previousCouponDate(settle, maturity, months);
                        Settings::instance().evaluationDate() = settle;
                        Schedule schedule(effective, maturity, Period(months, Months), NullCalendar(),
                                          Unadjusted, Unadjusted, DateGeneration::Backward, false);
                        DayCounter dc = dayCounter(dcName, schedule);
                        FixedRateBond bond(0, 100.0, schedule, std::vector<Rate>(1, coupon), dc,
                                           Unadjusted, 100.0, effective);
                        Frequency frequency = Frequency(freq);
                        for (int pick = 0; pick < 2; ++pick) {
                            const ZeroCurveDef& c = zeroCurves()[(row + pick) % zeroCurves().size()];
                            double spread = spreads[(row + 3 * pick) % spreads.size()];
                            ext::shared_ptr<YieldTermStructure> curve = quantlibCurve(c, settle);
                            Real clean = BondFunctions::cleanPrice(bond, curve, spread, Actual365Fixed(),
                                                                   Continuous, NoFrequency, settle);
                            Real accrued = BondFunctions::accruedAmount(bond, settle);
                            Rate y = BondFunctions::yield(bond, clean, dc, Compounded, frequency, settle,
                                                          1.0e-14, 1000, 0.05, Bond::Price::Clean);
                            InterestRate rate(y, dc, Compounded, frequency);
                            Real modified = BondFunctions::duration(bond, rate, Duration::Modified, settle);
                            Real macaulay = BondFunctions::duration(bond, rate, Duration::Macaulay, settle);
                            Real convexity = BondFunctions::convexity(bond, rate, settle);
                            Real dv01 = -BondFunctions::basisPointValue(bond, rate, settle);
                            std::printf("%s,%.4f,%d,%s,%.4f,%s,%s,%.15g,%.15g,%.15g,%.15g,%.15g,%.15g,%.15g,%.15g\n",
                                        c.name, spread, freq, dcName.c_str(), coupon, iso(settle).c_str(),
                                        iso(maturity).c_str(), clean, clean + accrued, accrued, y,
                                        modified, macaulay, convexity, dv01);
                        }
                        ++row;
                    }
}

int main(int argc, char** argv) {
    if (argc > 1 && std::string(argv[1]) == "curves") {
        printCurves();
        return 0;
    }
    if (argc > 1 && std::string(argv[1]) == "curve") {
        printCurveRows();
        return 0;
    }

    const std::vector<int> frequencies = {1, 2, 4, 12};
    const std::vector<std::string> dayCounts = {"30/360", "ACT/ACT", "ACT/360", "ACT/365F"};
    const std::vector<double> coupons = {0.0, 0.01, 0.0275, 0.05, 0.0725, 0.10};
    const std::vector<Date> maturities = {
        Date(31, December, 2026), Date(28, February, 2027), Date(31, August, 2029),
        Date(31, March, 2031), Date(30, November, 2036), Date(29, February, 2048),
        Date(15, May, 2066)};
    /* settle between coupon dates; "on a coupon date" is derived per bond below */
    const std::vector<Date> settles = {Date(28, February, 2026), Date(31, August, 2026),
                                       Date(7, October, 2026)};
    const std::vector<double> yields = {-0.002, 0.0, 0.0125, 0.035, 0.06, 0.12, 0.30};

    std::printf("frequency,day_count,coupon,settle,maturity,yield,clean,dirty,accrued,"
                "yield_from_clean,modified_duration,macaulay_duration,convexity,dv01\n");
    int row = 0;
    for (int freq : frequencies)
        for (const std::string& dcName : dayCounts)
            for (double coupon : coupons)
                for (const Date& maturity : maturities)
                    for (Size s = 0; s <= settles.size(); ++s) {
                        Integer months = 12 / freq;
                        /* s == settles.size(): on the coupon date on or before 2026-06-15 */
                        Date settle = s < settles.size()
                                          ? settles[s]
                                          : previousCouponDate(Date(15, June, 2026), maturity, months);
                        if (settle >= maturity)
                            continue;
                        Date effective = previousCouponDate(settle, maturity, months);
                        Settings::instance().evaluationDate() = settle;
                        Schedule schedule(effective, maturity, Period(months, Months), NullCalendar(),
                                          Unadjusted, Unadjusted, DateGeneration::Backward, false);
                        DayCounter dc = dayCounter(dcName, schedule);
                        FixedRateBond bond(0, 100.0, schedule, std::vector<Rate>(1, coupon), dc,
                                           Unadjusted, 100.0, effective);
                        Frequency frequency = Frequency(freq);
                        for (int pick = 0; pick < 2; ++pick) {
                            double y = yields[(row + 3 * pick) % yields.size()];
                            InterestRate rate(y, dc, Compounded, frequency);
                            Real clean = BondFunctions::cleanPrice(bond, rate, settle);
                            Real dirty = BondFunctions::dirtyPrice(bond, rate, settle);
                            Real accrued = BondFunctions::accruedAmount(bond, settle);
                            Rate back = BondFunctions::yield(bond, clean, dc, Compounded, frequency,
                                                             settle, 1.0e-14, 1000, 0.05,
                                                             Bond::Price::Clean);
                            Real modified = BondFunctions::duration(bond, rate, Duration::Modified, settle);
                            Real macaulay = BondFunctions::duration(bond, rate, Duration::Macaulay, settle);
                            Real convexity = BondFunctions::convexity(bond, rate, settle);
                            Real dv01 = -BondFunctions::basisPointValue(bond, rate, settle);
                            std::printf("%d,%s,%.4f,%s,%s,%.4f,%.15g,%.15g,%.15g,%.15g,%.15g,%.15g,%.15g,%.15g\n",
                                        freq, dcName.c_str(), coupon, iso(settle).c_str(),
                                        iso(maturity).c_str(), y, clean, dirty, accrued, back,
                                        modified, macaulay, convexity, dv01);
                        }
                        ++row;
                    }
    return 0;
}
