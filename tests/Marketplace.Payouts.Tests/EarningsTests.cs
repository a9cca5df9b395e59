using Marketplace.Payouts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Marketplace.Payouts.Tests.Infrastructure.PayoutsHarness;

namespace Marketplace.Payouts.Tests;

public class EarningsTests
{
    [Theory]
    [InlineData(100, "1.0", 2_000, 100, 20)]
    [InlineData(100, "1.25", 2_000, 125, 25)]
    [InlineData(33, "1.1", 2_000, 36, 7)]      // 36.3 → 36; 7.2 → 7
    [InlineData(5, "1.1", 1_500, 6, 1)]        // 5.5 → 6 (half away from zero); 0.9 → 1
    [InlineData(250, "1.25", 1_000, 313, 31)]  // 312.5 → 313; 31.3 → 31
    [InlineData(1, "1.0", 2_000, 1, 0)]        // a 0.2 fee rounds to nothing
    [InlineData(10, "1.05", 5_000, 11, 6)]     // 10.5 → 11; 5.5 → 6
    [InlineData(999, "1.0", 0, 999, 0)]
    public void Price_AppliesTheMultiplierThenTheFee_RoundingHalfAwayFromZero(long basePay, string multiplier, int feeBasisPoints, long pay, long fee)
    {
        var (actualPay, actualFee) = AccrueEarnings.Price(Usd(basePay), decimal.Parse(multiplier, System.Globalization.CultureInfo.InvariantCulture), feeBasisPoints);

        Assert.Equal(pay, actualPay.MinorUnits);
        Assert.Equal(fee, actualFee.MinorUnits);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    public void Price_RefusesANonPositiveMultiplier(string multiplier)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AccrueEarnings.Price(Usd(100), decimal.Parse(multiplier, System.Globalization.CultureInfo.InvariantCulture), 2_000));
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Accrue_MovesPayToPendingAndFeeToRevenue_OncePerAssignment(DatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind, dryRun: true);
        var job = Guid.NewGuid();
        var assignment = Guid.NewGuid();
        await harness.FundAsync(job, 1_000);

        var first = await harness.AccrueAsync(job, "ann", 200, 1.1m, "Silver", assignment);
        var again = await harness.AccrueAsync(job, "ann", 200, 1.1m, "Silver", assignment);

        Assert.Equal(AccrualStatus.Accrued, first.Status);
        Assert.Equal(AccrualStatus.AlreadyAccrued, again.Status);
        Assert.Equal(1_000 - 220 - 44, await harness.BalanceAsync(LedgerAccountId.JobEscrow(job)));
        Assert.Equal(220, await harness.BalanceAsync(LedgerAccountId.ContributorPending("ann")));
        Assert.Equal(44, await harness.BalanceAsync(LedgerAccountId.PlatformRevenue));
        Assert.Equal(1, await harness.QueryAsync(db => db.Earnings.CountAsync()));
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Accrue_WhenEscrowCannotCoverPayAndFee_IsAResultAndPostsNothing(DatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind, dryRun: true);
        var job = Guid.NewGuid();
        await harness.FundAsync(job, 119);

        var result = await harness.AccrueAsync(job, "ann", 100); // needs 120

        Assert.Equal(AccrualStatus.InsufficientEscrow, result.Status);
        Assert.Equal(119, result.EscrowBalance.MinorUnits);
        Assert.Equal(0, await harness.BalanceAsync(LedgerAccountId.ContributorPending("ann")));
        Assert.Equal(0, await harness.QueryAsync(db => db.Earnings.CountAsync()));
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Accrue_InsideTheCallersTransaction_CommitsAndRollsBackWithTheCallersChanges(DatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind, dryRun: true);
        var job = Guid.NewGuid();
        await harness.FundAsync(job, 10_000);

        async Task AcceptAsync(Guid assignment, bool commit)
        {
            await harness.InScopeAsync(async sp =>
            {
                var db = sp.GetRequiredService<TestPayoutsDb>();
                await using var transaction = await db.Database.BeginTransactionAsync();
                db.AcceptedLabels.Add(new AcceptedLabel { AssignmentId = assignment, AcceptedAt = DateTime.UtcNow });
                var accrual = await sp.GetRequiredService<AccrueEarnings>().StageAsync(new EarningRequest(assignment, job, "ann", Usd(100)));
                Assert.Equal(AccrualStatus.Accrued, accrual.Status);
                await db.SaveChangesAsync();
                if (commit)
                {
                    await transaction.CommitAsync();
                }

                return 0;
            });
        }

        await AcceptAsync(Guid.NewGuid(), commit: false);
        Assert.Equal(0, await harness.QueryAsync(db => db.AcceptedLabels.CountAsync()));
        Assert.Equal(0, await harness.BalanceAsync(LedgerAccountId.ContributorPending("ann")));

        await AcceptAsync(Guid.NewGuid(), commit: true);
        Assert.Equal(1, await harness.QueryAsync(db => db.AcceptedLabels.CountAsync()));
        Assert.Equal(100, await harness.BalanceAsync(LedgerAccountId.ContributorPending("ann")));
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Accrue_SeveralLabelsStagedInOneUnitOfWork_SeeEachOthersSpend(DatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind, dryRun: true);
        var job = Guid.NewGuid();
        await harness.FundAsync(job, 250); // two labels at 120 fit, a third does not

        var statuses = await harness.InScopeAsync(async sp =>
        {
            var accrue = sp.GetRequiredService<AccrueEarnings>();
            var results = new List<AccrualStatus>();
            for (var i = 0; i < 3; i++)
            {
                results.Add((await accrue.StageAsync(new EarningRequest(Guid.NewGuid(), job, "ann", Usd(100)))).Status);
            }

            await sp.GetRequiredService<TestPayoutsDb>().SaveChangesAsync();
            return results;
        });

        Assert.Equal([AccrualStatus.Accrued, AccrualStatus.Accrued, AccrualStatus.InsufficientEscrow], statuses);
        Assert.Equal(10, await harness.BalanceAsync(LedgerAccountId.JobEscrow(job)));
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Release_MakesPendingAvailableOnlyAfterTheHold_WithShorterHoldsPerTier(DatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind, dryRun: true, new Dictionary<string, string?> { ["Payouts:HoldDaysByTier:Gold"] = "2" });
        var job = Guid.NewGuid();
        await harness.FundAsync(job, 10_000);
        await harness.AccrueAsync(job, "ann", 100, tier: "Bronze");
        await harness.AccrueAsync(job, "gus", 100, 1.25m, "Gold");

        harness.Clock.Advance(TimeSpan.FromDays(2) - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await harness.Use<ReleaseEarnings, int>(r => r.ExecuteAsync()));

        harness.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await harness.Use<ReleaseEarnings, int>(r => r.ExecuteAsync()));
        Assert.Equal(125, await harness.BalanceAsync(LedgerAccountId.ContributorAvailable("gus")));
        Assert.Equal(0, await harness.BalanceAsync(LedgerAccountId.ContributorAvailable("ann")));

        harness.Clock.Advance(TimeSpan.FromDays(5));
        Assert.Equal(1, await harness.Use<ReleaseEarnings, int>(r => r.ExecuteAsync()));
        Assert.Equal(0, await harness.Use<ReleaseEarnings, int>(r => r.ExecuteAsync()));
        Assert.Equal(100, await harness.BalanceAsync(LedgerAccountId.ContributorAvailable("ann")));
        Assert.Equal(0, await harness.BalanceAsync(LedgerAccountId.ContributorPending("ann")));
        await harness.AssertBooksBalanceAsync();
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task ReverseForFraud_ReturnsEveryUnpaidEarning_PendingOrReleased_ToEscrowAndRevenue(DatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind, dryRun: true);
        var job = Guid.NewGuid();
        await harness.FundAsync(job, 10_000);
        await harness.AccrueAsync(job, "eve", 1_000);
        harness.Clock.Advance(TimeSpan.FromDays(8));
        await harness.Use<ReleaseEarnings, int>(r => r.ExecuteAsync());
        await harness.AccrueAsync(job, "eve", 500);
        await harness.AccrueAsync(job, "eve", 300);

        var reversal = await harness.Use<ReverseEarnings, EarningsReversal>(r => r.ForContributorAsync("eve", "constant answers"));

        // The released 1,000 was in available with no payout since: unpaid, so it goes back too (release, then accrual).
        Assert.Equal(3, reversal.Reversed);
        Assert.Equal([Usd(1_800)], reversal.Amounts);
        Assert.Equal(0, reversal.PaidOrInPayout);
        Assert.Equal(0, await harness.BalanceAsync(LedgerAccountId.ContributorPending("eve")));
        Assert.Equal(0, await harness.BalanceAsync(LedgerAccountId.ContributorAvailable("eve")));
        Assert.Equal(10_000, await harness.BalanceAsync(LedgerAccountId.JobEscrow(job)));
        Assert.Equal(0, await harness.BalanceAsync(LedgerAccountId.PlatformRevenue));
        Assert.Equal(4, await harness.QueryAsync(db => db.LedgerTransactions.CountAsync(t => t.ReversesTransactionId != null)));

        // Reversed earnings are never released later, and reversing again finds nothing.
        harness.Clock.Advance(TimeSpan.FromDays(30));
        Assert.Equal(0, await harness.Use<ReleaseEarnings, int>(r => r.ExecuteAsync()));
        Assert.Equal(0, (await harness.Use<ReverseEarnings, EarningsReversal>(r => r.ForContributorAsync("eve", "again"))).Reversed);
        await harness.AssertBooksBalanceAsync();
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task ReverseForFraud_LeavesReleasedEarningsAPayoutTook_AndReversesOnesReleasedAfterIt(DatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind, dryRun: true);
        var job = Guid.NewGuid();
        await harness.FundAsync(job, 10_000);
        await harness.ConnectAsync("fay");
        await harness.AccrueAsync(job, "fay", 2_000);
        harness.Clock.Advance(TimeSpan.FromDays(8));
        await harness.Use<ReleaseEarnings, int>(r => r.ExecuteAsync());
        var plan = await harness.Use<PlanPayoutRun, PayoutRunPlan>(p => p.ExecuteAsync("week-1"));
        Assert.Single(plan.PayoutIds);

        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        await harness.AccrueAsync(job, "fay", 700);
        harness.Clock.Advance(TimeSpan.FromDays(8));
        await harness.Use<ReleaseEarnings, int>(r => r.ExecuteAsync());
        await harness.AccrueAsync(job, "fay", 400);

        var reversal = await harness.Use<ReverseEarnings, EarningsReversal>(r => r.ForContributorAsync("fay", "colluding"));

        Assert.Equal(2, reversal.Reversed); // the 700 released after the run, and the pending 400
        Assert.Equal([Usd(1_100)], reversal.Amounts);
        Assert.Equal(1, reversal.PaidOrInPayout); // the 2,000 the run took is an admin's clawback, not this
        Assert.Equal(2_000, await harness.BalanceAsync(LedgerAccountId.PayoutsInTransit("fay")));
        Assert.Equal(0, await harness.BalanceAsync(LedgerAccountId.ContributorAvailable("fay")));
        await harness.AssertBooksBalanceAsync();
    }
}
