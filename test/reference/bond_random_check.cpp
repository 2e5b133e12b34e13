/*
 * bond_random_check.cpp
 *		Compares the pure bond core (src/bond_math.c, bond_schedule.c) with QuantLib 1.29 on
 *		pseudo-random bonds (std::mt19937_64, fixed seed), beyond the fixed grid
 *		of bond_reference.csv: settle dates 2000-2054, maturities up to 45
 *		years (a quarter of them moved to a month end), coupons 0-10%, yields
 *		-1% to 19%, every frequency and day count.  QuantLib objects as in
 *		bond_reference.cpp.  Tolerances: clean and accrued 1e-8, yield 1e-10,
 *		modified duration 1e-9, convexity 1e-7, DV01 1e-10.  Exits 1 on a
 *		failure.  Build and run (20000 bonds take about 40 s):
 *
 *   gcc -O2 -c -Isrc -o /tmp/bond_math.o src/bond_math.c
 *   gcc -O2 -c -Isrc -o /tmp/bond_schedule.o src/bond_schedule.c
 *   g++ -std=c++17 -O2 -Isrc -o /tmp/bond_random_check test/reference/bond_random_check.cpp /tmp/bond_math.o /tmp/bond_schedule.o -lQuantLib
 *   /tmp/bond_random_check 20000
 */
#include <ql/quantlib.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>

extern "C" {
#include "bond_math.h"
}

using namespace QuantLib;

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::atoi(argv[1]) : 20000;
    const char* names[4] = {"30/360", "ACT/ACT", "ACT/360", "ACT/365F"};
    const int frequencies[4] = {1, 2, 4, 12};
    const Date epoch(1, January, 2000);   /* pms day numbers count from here */
    std::mt19937_64 rng(12345);
    double worst[6] = {0, 0, 0, 0, 0, 0};  /* clean, yield, duration, convexity, dv01, accrued */
    const double tolerance[6] = {1e-8, 1e-10, 1e-9, 1e-7, 1e-10, 1e-8};
    long bad = 0;

    for (int i = 0; i < n; i++) {
        int f = frequencies[rng() % 4];
        int dci = int(rng() % 4);
        Date settle = epoch + int(rng() % 20000);
        Date maturity = settle + 1 + int(rng() % (45 * 365));
        if (rng() % 4 == 0)
            maturity = Date::endOfMonth(maturity);
        double coupon = (rng() % 1001) / 10000.0;
        double y = -0.01 + (rng() % 2001) / 10000.0;

        /* QuantLib side: as in bond_reference.cpp */
        int months = 12 / f;
        Date effective;
        for (int k = 1;; k++) {
            effective = maturity - Period(k * months, Months);
            if (effective <= settle)
                break;
        }
        Settings::instance().evaluationDate() = settle;
        Schedule schedule(effective, maturity, Period(months, Months), NullCalendar(), Unadjusted,
                          Unadjusted, DateGeneration::Backward, false);
        DayCounter dc = dci == 0 ? DayCounter(Thirty360(Thirty360::USA))
                      : dci == 1 ? DayCounter(ActualActual(ActualActual::ISMA, schedule))
                      : dci == 2 ? DayCounter(Actual360())
                                 : DayCounter(Actual365Fixed());
        FixedRateBond bond(0, 100.0, schedule, std::vector<Rate>(1, coupon), dc, Unadjusted, 100.0,
                           effective);
        InterestRate rate(y, dc, Compounded, Frequency(f));
        double clean = BondFunctions::cleanPrice(bond, rate, settle);
        double accrued = BondFunctions::accruedAmount(bond, settle);
        double modified = BondFunctions::duration(bond, rate, Duration::Modified, settle);
        double convexity = BondFunctions::convexity(bond, rate, settle);
        double dv01 = -BondFunctions::basisPointValue(bond, rate, settle);

        /* pms side */
        BondTerms t = {int(settle - epoch), int(maturity - epoch), coupon, f, BondDayCount(dci)};
        BondMeasures m;
        double solved = 0;
        BondStatus st = BondMeasure(&t, y, &m);
        BondStatus st2 = BondYield(&t, clean, &solved);
        if (st != BOND_OK || st2 != BOND_OK) {
            if (bad++ < 10)
                std::printf("status %d/%d: %s f=%d settle %d maturity %d\n", st, st2, names[dci], f,
                            t.settle, t.maturity);
            continue;
        }
        double err[6] = {std::fabs(m.clean - clean),         std::fabs(solved - y),
                         std::fabs(m.modified - modified),   std::fabs(m.convexity - convexity),
                         std::fabs(m.dv01 - dv01),           std::fabs(m.accrued - accrued)};
        bool failed = false;
        for (int k = 0; k < 6; k++) {
            worst[k] = std::fmax(worst[k], err[k]);
            failed = failed || !(err[k] <= tolerance[k]);
        }
        if (failed && bad++ < 10)
            std::printf("differs: %s f=%d settle %d maturity %d coupon %g yield %g\n", names[dci], f,
                        t.settle, t.maturity, coupon, y);
    }
    std::printf("bonds %d, failures %ld; max |diff|: clean %.2g, yield %.2g, modified duration %.2g, "
                "convexity %.2g, dv01 %.2g, accrued %.2g\n",
                n, bad, worst[0], worst[1], worst[2], worst[3], worst[4], worst[5]);
    return bad == 0 ? 0 : 1;
}
