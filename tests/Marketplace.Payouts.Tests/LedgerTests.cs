using System.Reflection;
using Marketplace.Payouts.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Marketplace.Payouts.Tests.Infrastructure.PayoutsHarness;

namespace Marketplace.Payouts.Tests;

public class LedgerTests
{
    private static readonly LedgerAccountId Escrow = LedgerAccountId.JobEscrow(Guid.Parse("11111111-1111-1111-1111-111111111111"));
    private static readonly DateTime Now = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    public static TheoryData<string, LedgerLine[]> UnbalancedTransactions => new()
    {
        { "debit larger", [LedgerLine.Debit(LedgerAccountId.PaymentsClearing, Usd(101)), LedgerLine.Credit(Escrow, Usd(100))] },
        { "balanced in total but not per currency", [LedgerLine.Debit(LedgerAccountId.PaymentsClearing, Usd(100)), LedgerLine.Credit(Escrow, new Money(100, "EUR")), LedgerLine.Debit(LedgerAccountId.PaymentsClearing, new Money(100, "EUR")), LedgerLine.Credit(Escrow, new Money(100, "GBP"))] },
        { "a single line", [LedgerLine.Debit(LedgerAccountId.PaymentsClearing, Usd(100))] },
        { "a zero amount", [LedgerLine.Debit(LedgerAccountId.PaymentsClearing, Usd(0)), LedgerLine.Credit(Escrow, Usd(0))] },
        { "a negative amount", [LedgerLine.Debit(LedgerAccountId.PaymentsClearing, Usd(-5)), LedgerLine.Credit(Escrow, Usd(-5))] },
    };

    [Theory]
    [MemberData(nameof(UnbalancedTransactions))]
    public void Create_RefusesAnythingButBalancedPositiveEntries(string why, LedgerLine[] lines)
    {
        Assert.Throws<UnbalancedTransactionException>(() => LedgerTransaction.Create(LedgerCause.Payment("pi_1"), lines, Now, why));
    }

    [Fact]
    public void Create_BalancedInEachCurrency_IsAccepted()
    {
        var transaction = LedgerTransaction.Create(LedgerCause.Payment("pi_1"),
            [LedgerLine.Debit(LedgerAccountId.PaymentsClearing, Usd(100)), LedgerLine.Credit(Escrow, Usd(60)), LedgerLine.Credit(LedgerAccountId.PlatformRevenue, Usd(40)),
             LedgerLine.Debit(LedgerAccountId.PaymentsClearing, new Money(7, "EUR")), LedgerLine.Credit(Escrow, new Money(7, "EUR"))],
            Now, "mixed");
        Assert.Equal(5, transaction.Entries.Count);
    }

    [Fact]
    public void Reversal_IsTheExactOppositeAndLinksToTheOriginal()
    {
        var original = LedgerTransaction.Create(LedgerCause.Payment("pi_1"), [LedgerLine.Debit(LedgerAccountId.PaymentsClearing, Usd(100)), LedgerLine.Credit(Escrow, Usd(100))], Now, "pay");
        var reversal = original.CreateReversal(Now, "oops");

        Assert.Equal(original.Id, reversal.ReversesTransactionId);
        Assert.Equal(LedgerCause.Reversal(original.Id), reversal.Cause);
        Assert.Equal(EntryDirection.Credit, reversal.Entries.Single(e => e.AccountKind == AccountKind.PaymentsClearing).Direction);
        Assert.Equal(EntryDirection.Debit, reversal.Entries.Single(e => e.AccountKind == AccountKind.JobEscrow).Direction);
        Assert.Throws<InvalidOperationException>(() => reversal.CreateReversal(Now, "reverse the reversal"));
    }

    [Theory]
    [InlineData(typeof(LedgerEntry))]
    [InlineData(typeof(LedgerTransaction))]
    public void LedgerRecords_HaveNoSetters(Type type)
    {
        var settable = type.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance).Where(p => p.SetMethod is not null).Select(p => p.Name);
        Assert.Empty(settable);
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Post_SameCauseTwice_PostsOnce(DatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind, dryRun: true);
        var job = Guid.NewGuid();

        var first = await harness.FundAsync(job, 5_000, "pi_same");
        var second = await harness.FundAsync(job, 5_000, "pi_same");

        Assert.Equal(FundingStatus.Funded, first.Status);
        Assert.Equal(FundingStatus.AlreadyFunded, second.Status);
        Assert.Equal(5_000, await harness.BalanceAsync(LedgerAccountId.JobEscrow(job)));
        Assert.Equal(1, await harness.QueryAsync(db => db.LedgerTransactions.CountAsync()));
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Post_SameCauseRacingFromTwoUnitsOfWork_TheDatabaseRefusesTheSecond(DatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind, dryRun: true);
        var lines = new[] { LedgerLine.Debit(LedgerAccountId.PaymentsClearing, Usd(10)), LedgerLine.Credit(LedgerAccountId.PlatformRevenue, Usd(10)) };
        await using var one = harness.Database.CreateContext();
        await using var two = harness.Database.CreateContext();
        // Both check before either saves, as two nodes would.
        Assert.Equal(PostingStatus.Posted, (await new Ledger(one, harness.Clock).PostAsync(LedgerCause.Payment("pi_race"), lines, "one")).Status);
        Assert.Equal(PostingStatus.Posted, (await new Ledger(two, harness.Clock).PostAsync(LedgerCause.Payment("pi_race"), lines, "two")).Status);

        await one.SaveChangesAsync();
        await Assert.ThrowsAnyAsync<DbUpdateException>(() => two.SaveChangesAsync());
        Assert.Equal(10, await harness.BalanceAsync(LedgerAccountId.PlatformRevenue));
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Balances_AreSumsOfEntries_AndTheBooksBalance(DatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind, dryRun: true);
        var job = Guid.NewGuid();
        await harness.FundAsync(job, 10_000);
        await harness.AccrueAsync(job, "ann", 500);
        await harness.AccrueAsync(job, "bob", 400, 1.25m);

        // 500 + 20% and 500 (400 × 1.25) + 20%
        Assert.Equal(10_000 - 600 - 600, await harness.BalanceAsync(LedgerAccountId.JobEscrow(job)));
        Assert.Equal(500, await harness.BalanceAsync(LedgerAccountId.ContributorPending("ann")));
        Assert.Equal(500, await harness.BalanceAsync(LedgerAccountId.ContributorPending("bob")));
        Assert.Equal(200, await harness.BalanceAsync(LedgerAccountId.PlatformRevenue));
        Assert.Equal(10_000, await harness.BalanceAsync(LedgerAccountId.PaymentsClearing));
        var entries = await harness.QueryAsync(db => db.LedgerEntries.Where(e => e.AccountKind == AccountKind.JobEscrow).ToListAsync());
        Assert.Equal(8_800, entries.Sum(e => e.SignedForBalance));
        await harness.AssertBooksBalanceAsync();
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Reverse_RestoresBalances_OnceOnly(DatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind, dryRun: true);
        var job = Guid.NewGuid();
        await harness.FundAsync(job, 1_000, "pi_wrong");
        var original = await harness.Use<Ledger, LedgerTransaction?>(l => l.FindAsync(LedgerCause.Payment("pi_wrong")));

        var first = await harness.InScopeAsync(async sp =>
        {
            var result = await sp.GetRequiredService<Ledger>().ReverseAsync(original!.Id, "posted to the wrong job");
            await sp.GetRequiredService<TestPayoutsDb>().SaveChangesAsync();
            return result;
        });
        var second = await harness.Use<Ledger, PostingResult>(l => l.ReverseAsync(original!.Id, "again"));

        Assert.Equal(PostingStatus.Posted, first.Status);
        Assert.Equal(original!.Id, first.Transaction!.ReversesTransactionId);
        Assert.Equal(PostingStatus.AlreadyPosted, second.Status);
        Assert.Equal(0, await harness.BalanceAsync(LedgerAccountId.JobEscrow(job)));
        Assert.Equal(2, await harness.QueryAsync(db => db.LedgerTransactions.CountAsync()));
        await harness.AssertBooksBalanceAsync();
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task Post_ThatWouldOverdrawAGuardedAccount_IsRefusedAndStagesNothing(DatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind, dryRun: true);
        var job = Guid.NewGuid();
        await harness.FundAsync(job, 100);

        var result = await harness.InScopeAsync(async sp =>
        {
            var posting = await sp.GetRequiredService<Ledger>().PostAsync(LedgerCause.Accrual(Guid.NewGuid()),
                [LedgerLine.Debit(LedgerAccountId.JobEscrow(job), Usd(101)), LedgerLine.Credit(LedgerAccountId.ContributorPending("ann"), Usd(101))], "too much");
            await sp.GetRequiredService<TestPayoutsDb>().SaveChangesAsync();
            return posting;
        });

        Assert.Equal(PostingStatus.InsufficientFunds, result.Status);
        Assert.Equal(LedgerAccountId.JobEscrow(job), result.ShortAccount);
        Assert.Equal(100, await harness.BalanceAsync(LedgerAccountId.JobEscrow(job)));
        Assert.Equal(1, await harness.QueryAsync(db => db.LedgerTransactions.CountAsync()));
    }

    [Theory]
    [ClassData(typeof(Databases))]
    public async Task ConcurrentSpendsOfTheSameEscrow_CannotBothCommit(DatabaseKind kind)
    {
        await using var harness = await CreateAsync(kind, dryRun: true);
        var job = Guid.NewGuid();
        await harness.FundAsync(job, 150);
        await using var one = harness.Database.CreateContext();
        await using var two = harness.Database.CreateContext();
        Task<PostingResult> Spend(TestPayoutsDb db, string who) => new Ledger(db, harness.Clock).PostAsync(LedgerCause.Accrual(Guid.NewGuid()),
            [LedgerLine.Debit(LedgerAccountId.JobEscrow(job), Usd(100)), LedgerLine.Credit(LedgerAccountId.ContributorPending(who), Usd(100))], who);

        // Each sees 150 and would leave 50; together they would leave -50.
        Assert.Equal(PostingStatus.Posted, (await Spend(one, "ann")).Status);
        Assert.Equal(PostingStatus.Posted, (await Spend(two, "bob")).Status);
        await one.SaveChangesAsync();
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => two.SaveChangesAsync());

        Assert.Equal(50, await harness.BalanceAsync(LedgerAccountId.JobEscrow(job)));
    }
}
