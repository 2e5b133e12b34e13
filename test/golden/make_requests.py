import json, copy, os
D='/work/wt-sim/test/golden'
os.makedirs(D, exist_ok=True)
from decimal import Decimal as N

def req(base='USD', pos=(), cash=(), prices=(), fx=(), targets=(), shelf=(), cap=None, rules=(), options=None,
        pf_as_of='2026-02-13T10:00:00Z', md_as_of='2026-02-13T10:05:00Z', pid='pf_1', snap=None):
    ps = {"portfolio_id": pid, "base_currency": base, "as_of": pf_as_of,
          "positions": [{"instrument_id": i, "quantity": N(q)} for i, q in pos],
          "cash_balances": [{"currency": c, "amount": N(a)} for c, a in cash]}
    if snap: ps["snapshot_id"] = snap
    pr = []
    for p in prices:
        i, px, c = p[:3]
        e = {"instrument_id": i, "price": N(px), "currency": c}
        if len(p) > 3: e["as_of"] = p[3]
        pr.append(e)
    pol = {"policy_version": "v1"}
    if cap is not None: pol["single_position_max_weight"] = N(cap)
    if rules:
        rr = []
        for r in rules:
            e = {"rule_id": r[0], "type": r[1], "severity": r[2]}
            if r[3] is not None: e["limit"] = N(r[3])
            if len(r) > 4: e["asset_class"] = r[4]
            rr.append(e)
        pol["rules"] = rr
    out = {"portfolio_snapshot": ps,
           "market_data_snapshot": {"snapshot_id": "md_1", "as_of": md_as_of, "prices": pr,
                                    "fx_rates": [{"currency": c, "rate": N(r)} for c, r in fx]},
           "model_portfolio": {"model_portfolio_id": "mod_1", "targets": [{"instrument_id": i, "weight": N(w)} for i, w in targets]},
           "shelf_entries": [{"instrument_id": s[0], "status": s[1], "asset_class": s[2], "min_notional": N(s[3])} for s in shelf],
           "policy": pol}
    if options is not None: out["options"] = options
    return out

class E(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, N): return float(o)
        return super().default(o)

def dump(name, r):
    # keep decimals exactly as written: render Decimals via a placeholder
    txt = json.dumps(r, indent=2, default=lambda o: '@@%s@@' % o)
    txt = txt.replace('"@@', '').replace('@@"', '')
    open(f'{D}/{name}.request.json', 'w').write(txt + '\n')

S = {}
S['a_cash_inflow'] = req(pos=[('AAPL','100'),('MSFT','50')], cash=[('USD','20000.00')],
    prices=[('AAPL','100.00','USD'),('MSFT','200.00','USD')], targets=[('AAPL','0.45'),('MSFT','0.45')],
    shelf=[('AAPL','APPROVED','EQUITY','100.00'),('MSFT','APPROVED','EQUITY','100.00')],
    rules=[('r_min_cash','MIN_CASH_WEIGHT','HARD','0.05')])
S['b_cap_redistribution'] = req(pos=[('A1','1200'),('A2','600'),('A3','300')], cash=[('USD','10000.00')],
    prices=[('A1','50.00','USD'),('A2','25.00','USD'),('A3','50.00','USD')],
    targets=[('A1','0.50'),('A2','0.25'),('A3','0.15')],
    shelf=[('A1','APPROVED','EQUITY','0'),('A2','APPROVED','EQUITY','0'),('A3','APPROVED','EQUITY','0')],
    cap='0.40', rules=[('r_max_pos','MAX_POSITION_WEIGHT','HARD','0.40')])
S['c_banned_liquidation'] = req(pos=[('SPY','10'),('XYZ','200')], cash=[('USD','2532.00')],
    prices=[('SPY','500.00','USD'),('XYZ','12.34','USD')], targets=[('SPY','0.95'),('XYZ','0.05')],
    shelf=[('SPY','APPROVED','ETF','100'),('XYZ','BANNED','EQUITY','100')],
    rules=[('r_cash','NO_NEGATIVE_CASH','HARD',None)])
S['d_fx_funding'] = req(base='EUR', cash=[('EUR','100000.00')], prices=[('AAPL','200.00','USD')],
    fx=[('USD','0.9000')], targets=[('AAPL','0.50')], shelf=[('AAPL','APPROVED','EQUITY','1000')],
    rules=[('r_pos','MAX_POSITION_WEIGHT','SOFT','0.55')], options={"fx_buffer_pct": N('0.01')})
S['e_infeasible_concentration'] = req(cash=[('USD','50000.00')],
    prices=[('EQ1','10.00','USD'),('EQ2','20.00','USD'),('EQ3','30.00','USD'),('BD1','99.00','USD')],
    targets=[('BD1','0.20'),('EQ1','0.30'),('EQ2','0.08'),('EQ3','0.02')],
    shelf=[('BD1','APPROVED','BOND','0'),('EQ1','APPROVED','EQUITY','0'),('EQ2','APPROVED','EQUITY','0'),('EQ3','APPROVED','EQUITY','0')],
    cap='0.10')
S['f_price_missing_blocked'] = req(pos=[('HELD','10')], cash=[('USD','1000.00')],
    prices=[('HELD','50.00','USD')], targets=[('HELD','0.30'),('NOPX','0.30')],
    shelf=[('HELD','APPROVED','EQUITY','0'),('NOPX','APPROVED','EQUITY','0')])
S['g_price_stale_excluded'] = req(pos=[('OLD','10')], cash=[('USD','9000.00')],
    prices=[('FRESH','40.00','USD','2026-02-13T09:30:00Z'),('OLD','100.00','USD','2026-02-13T08:00:00Z')],
    targets=[('FRESH','0.50'),('OLD','0.20')],
    shelf=[('FRESH','APPROVED','EQUITY','0'),('OLD','APPROVED','EQUITY','0')],
    options={"exclude_stale_instead_of_block": True, "max_staleness_minutes": 60})
S['h_soft_breach_pending_review'] = req(cash=[('USD','10000.00')],
    prices=[('BND','100.00','USD'),('ETF1','50.00','USD')], targets=[('BND','0.30'),('ETF1','0.50')],
    shelf=[('BND','APPROVED','BOND','0'),('ETF1','APPROVED','ETF','0')],
    rules=[('r1_cash_max','MAX_CASH_WEIGHT','SOFT','0.05'),('r2_bonds','MAX_ASSET_CLASS_WEIGHT','HARD','0.35','BOND')])
S['i_hard_breach_blocked'] = req(cash=[('USD','10000.00')],
    prices=[('BIG','100.00','USD'),('SMALL','10.00','USD')], targets=[('BIG','0.50'),('SMALL','0.40')],
    shelf=[('BIG','APPROVED','EQUITY','0'),('SMALL','APPROVED','EQUITY','0')],
    rules=[('r1_pos','MAX_POSITION_WEIGHT','HARD','0.30'),('r2_cash','MIN_CASH_WEIGHT','SOFT','0.20')])
S['j_shelf_exclusions'] = req(pos=[('RES','20')], cash=[('USD','18000.00')],
    prices=[('NOSHELF','10.00','USD'),('OK1','20.00','USD'),('RES','100.00','USD'),('SUS','5.00','USD')],
    targets=[('NOSHELF','0.10'),('OK1','0.40'),('RES','0.10'),('SUS','0.10')],
    shelf=[('OK1','APPROVED','EQUITY','0'),('RES','RESTRICTED','EQUITY','0'),('SUS','SUSPENDED','EQUITY','0')])
S['k_fund_notional_rounding'] = req(pos=[('FUND2','100.123456')], cash=[('USD','9000.05')],
    prices=[('FUND1','12.3457','USD'),('FUND2','9.99','USD')], targets=[('FUND1','0.5')],
    shelf=[('FUND1','RESTRICTED','FUND','0'),('FUND2','APPROVED','FUND','0')],
    options={"allow_restricted": True})
S['l_dust_and_sub_unit'] = req(pos=[('DUST','100'),('OVER','20'),('TINY','10')], cash=[('USD','1000.00')],
    prices=[('DUST','10.00','USD'),('OVER','50.00','USD'),('TINY','500.00','USD')],
    targets=[('DUST','0.15'),('OVER','0.05'),('TINY','0.68')],
    shelf=[('DUST','APPROVED','EQUITY','1000'),('OVER','APPROVED','EQUITY','100'),('TINY','APPROVED','EQUITY','0')])
S['m_multi_currency'] = req(pos=[('IBM','20'),('SAP','100'),('VOD','1000')],
    cash=[('EUR','1000.00'),('GBP','-50.00'),('USD','5000.00')],
    prices=[('FUNDX','25.00','EUR'),('IBM','150.00','USD'),('SAP','120.00','EUR'),('VOD','1.10','GBP')],
    fx=[('EUR','1.0850'),('GBP','1.2700')],
    targets=[('FUNDX','0.20'),('IBM','0.20'),('SAP','0.45'),('VOD','0.10')],
    shelf=[('FUNDX','APPROVED','FUND','0'),('IBM','APPROVED','EQUITY','0'),('SAP','APPROVED','EQUITY','0'),('VOD','APPROVED','EQUITY','0')],
    rules=[('r1','NO_NEGATIVE_CASH','SOFT',None),('r2','MAX_ASSET_CLASS_WEIGHT','HARD','0.90','EQUITY'),('r3','MIN_CASH_WEIGHT','HARD','0')],
    options={"fx_buffer_pct": N('0.02')})
S['n_skew_and_fx_missing'] = req(pos=[('NESN','10')], cash=[('USD','1000.00')],
    prices=[('NESN','100.00','CHF')], targets=[('NESN','0.50')], shelf=[('NESN','APPROVED','EQUITY','0')],
    pf_as_of='2026-02-13T10:00:00Z', md_as_of='2026-02-13T10:30:00+00:00')
S['o_rounding_edges'] = req(cash=[('USD','1000.00')],
    prices=[('P1','100.00','USD'),('P2','33.335','USD'),('P3','10.00','USD')],
    targets=[('P1','0.3'),('P2','0.233345'),('P3','0.0999')],
    shelf=[('P1','APPROVED','EQUITY','0'),('P2','APPROVED','ETF','0'),('P3','APPROVED','BOND','0')])
S['p_issue_example'] = json.loads(open('/tmp/a.json').read(), parse_float=N, parse_int=N)
for k, v in S.items(): dump(k, v)
print(len(S))
