using Marketplace.Payouts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Marketplace.Payouts.Tests.Infrastructure.PayoutsHarness;

namespace Marketplace.Payouts.Tests;

/// <summary>Random sequences of every money operation (fixed seeds): the books always balance and no one's money goes below zero.</summary>
public class LedgerPropertyTests
{
    public static TheoryData<DatabaseKind, int> Seeds()
    {
        var data = new TheoryData<DatabaseKind, int>();
        foreach (var row in new Databases())
        {
            var kind = (DatabaseKind)row[0];
            foreach (var seed in kind == DatabaseKind.Sqlite ? new[] { 1, 2, 3 } : [4])
            {
                data.Add(kind, seed);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task RandomOperations_KeepTheBooksBalancedAndGuardedAccountsNonNegative(DatabaseKind kind, int seed)
    {
        await using var harness = await CreateAsync(kind, dryRun: true);
        var random = new Random(seed);
        var jobs = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();
        var contributors = new[] { "ann", "bob", "cat", "dan" };
        foreach (var contributor in contributors)
        {
            await harness.ConnectAsync(contributor);
        }

        var closed = new HashSet<Guid>();
        long earned = 0, reversed = 0, funded = 0;
        for (var step = 0; step < 120; step++)
        {
            var job = jobs[random.Next(jobs.Count)];
            var contributor = contributors[random.Next(contributors.Length)];
            switch (random.Next(9))
            {
                case 0 or 1 when !closed.Contains(job):
                    var amount = random.Next(100, 5_000);
                    await harness.FundAsync(job, amount);
                    funded += amount;
                    break;
                case 2 or 3 when !closed.Contains(job):
                    var multiplier = new[] { 1m, 1.1m, 1.25m }[random.Next(3)];
                    var accrual = await harness.AccrueAsync(job, contributor, random.Next(50, 800), multiplier, multiplier == 1.25m ? "Gold" : null);
                    earned += accrual.Status == AccrualStatus.Accrued ? accrual.Pay.MinorUnits : 0;
                    break;
                case 4:
                    harness.Clock.Advance(TimeSpan.FromDays(random.Next(0, 4)));
                    await harness.Use<ReleaseEarnings, int>(r => r.ExecuteAsync());
                    break;
                case 5:
                    await harness.Use<PlanPayoutRun, PayoutRunPlan>(p => p.ExecuteAsync($"run-{step}"));
                    break;
                case 6:
                    var open = await harness.QueryAsync(db => db.Payouts.Where(p => p.State == PayoutState.Planned).Select(p => p.Id).ToListAsync());
                    if (open.Count > 0)
                    {
                        await harness.Use<SetPayoutHold, bool>(h => h.ExecuteAsync(contributor, random.Next(4) == 0, "random review"));
                        var payoutId = open[random.Next(open.Count)];
                        if ((await harness.Use<ExecutePayout, PayoutExecution>(e => e.ExecuteAsync(payoutId))).Status == PayoutExecutionStatus.Failed)
                        {
                            await harness.Use<ResolvePayout, PayoutResolution>(r => random.Next(2) == 0 ? r.ReturnToAvailableAsync(payoutId, "random") : r.RetryAsync(payoutId));
                        }
                    }

                    break;
                case 7 when random.Next(3) == 0:
                    var reversal = await harness.Use<ReverseEarnings, EarningsReversal>(r => r.ForContributorAsync(contributor, "random fraud"));
                    reversed += reversal.Amounts.Sum(a => a.MinorUnits);
                    break;
                case 8 when random.Next(4) == 0:
                    await harness.Use<RefundUnspentEscrow, RefundResult>(r => r.ExecuteAsync(job));
                    closed.Add(job);
                    break;
            }
        }

        await harness.AssertBooksBalanceAsync();
        var balances = await harness.QueryAsync(db => db.LedgerEntries
            .GroupBy(e => new { e.AccountKind, e.AccountOwner })
            .Select(g => new { g.Key.AccountKind, g.Key.AccountOwner, Credit = g.Sum(e => e.Direction == EntryDirection.Credit ? e.AmountMinor : -e.AmountMinor) })
            .ToListAsync());
        Assert.All(balances.Where(b => new LedgerAccountId(b.AccountKind, b.AccountOwner).IsGuarded), b => Assert.True(b.Credit >= 0, $"{b.AccountKind}:{b.AccountOwner} is {b.Credit}"));
        // Whatever contributors earned and kept is somewhere: pending, available, in transit, or paid out.
        long Sum(params AccountKind[] kinds) => balances.Where(b => kinds.Contains(b.AccountKind)).Sum(b => b.Credit);
        var paidOut = await harness.QueryAsync(db => db.Payouts.Where(p => p.State == PayoutState.Paid).SumAsync(p => p.AmountMinor));
        Assert.Equal(earned - reversed, Sum(AccountKind.ContributorPending, AccountKind.ContributorAvailable, AccountKind.PayoutsInTransit) + paidOut);
        Assert.True(funded > 0 && earned > 0, "the sequence should have done some work");
    }
}
