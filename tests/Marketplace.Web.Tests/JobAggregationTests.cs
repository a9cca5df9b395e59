using System.Net.Http.Json;
using Marketplace.Web.Domain;
using Marketplace.Web.Jobs;
using Marketplace.Web.Quality;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Tests;

/// <summary>The scoring engine wired in: whole-job re-aggregation, learned confusions at submit, tier re-evaluation.</summary>
public abstract class JobAggregationTests(MarketplaceAppFactory app)
{
    private const int Items = 40;
    private const int GoldItems = 10;

    [Fact]
    public async Task Reaggregation_WithGoldAnchoredDawidSkene_SeesThroughAConstantMajority()
    {
        var (buyer, browser) = await app.SignedInAsync(Roles.Buyer);
        var job = await app.ActiveJobAsync(items: Items, gold: GoldItems, redundancy: 6, targetConfidence: 0.9, organizationId: buyer.OrganizationId,
            goldAnswer: i => Truth(i) == "dog" ? "\"dog\"" : "\"cat\"");
        var crowd = await CrowdAsync(job);

        // Three contributors answer "cat" to everything; two careful ones are right 90% of the time. Majority vote
        // says "cat" for every item; half of them are dogs.
        var outcome = await app.WithServiceAsync<JobAggregation, AggregationOutcome?>(a => a.ReaggregateAsync(job.Id, CancellationToken.None));

        var items = await app.WithDbAsync(db => db.Items.AsNoTracking().Where(i => i.JobId == job.Id && !i.IsGold).OrderBy(i => i.ExternalId).ToListAsync());
        // Where the careful two agree, the answer is right and confident, and the item is done before the redundancy
        // cap. Where they disagree (each slips on 10% of one class) the evidence is even and the constant votes add
        // nothing, so the item stays open for a sixth label.
        var (agreed, split) = (items.Where(i => !Slipped(Index(i.ExternalId))).ToList(), items.Where(i => Slipped(Index(i.ExternalId))).ToList());
        Assert.All(agreed, i => Assert.Equal($"\"{Truth(Index(i.ExternalId))}\"", i.ConsensusAnswer));
        Assert.All(agreed, i => Assert.NotNull(i.FinalizedAt));
        Assert.All(split, i => Assert.Null(i.FinalizedAt));
        Assert.All(split, i => Assert.InRange(i.Confidence!.Value, 0.5, 0.6));
        Assert.Equal(items.Count(i => i.FinalizedAt != null), outcome!.ItemsFinalized);

        var estimates = await browser.Client.GetFromJsonAsync<List<ContributorOnJob>>($"/api/jobs/{job.Id}/contributors", ApiJson.Options);
        var byName = estimates!.ToDictionary(e => e.Pseudonym);
        Assert.Equal(5, byName.Count);
        Assert.All(crowd.Careful, c => Assert.InRange(byName[c.Pseudonym].Accuracy, 0.8, 1.0));
        Assert.All(crowd.Constant, c => Assert.InRange(byName[c.Pseudonym].Accuracy, 0.0, 0.6));
        Assert.All(byName.Values, e => Assert.Equal("GoldAnchoredDawidSkene", e.Method));

        var details = await browser.Client.GetFromJsonAsync<JobDetails>($"/api/jobs/{job.Id}", ApiJson.Options);
        Assert.NotNull(details!.AggregatedAt);
        Assert.StartsWith("GoldAnchoredDawidSkene: 40 items", details.AggregationSummary, StringComparison.Ordinal);
        var page = await browser.Client.GetStringAsync($"/Buyer/Jobs/Details/{job.Id}");
        Assert.Contains(crowd.Careful[0].Pseudonym, page, StringComparison.Ordinal);
        Assert.DoesNotContain(crowd.Careful[0].UserId, page, StringComparison.Ordinal);

        // Nothing new: a second run changes nothing.
        var again = await app.WithServiceAsync<JobAggregation, AggregationOutcome?>(a => a.ReaggregateAsync(job.Id, CancellationToken.None));
        Assert.Equal(0, again!.ItemsChanged);
    }

    [Fact]
    public async Task Submit_AfterReaggregation_WeighsContributorsByTheirLearnedConfusions()
    {
        var job = await app.ActiveJobAsync(items: Items, gold: GoldItems, redundancy: 6, targetConfidence: 0.95, goldAnswer: i => Truth(i) == "dog" ? "\"dog\"" : "\"cat\"");
        var crowd = await CrowdAsync(job);
        await app.WithServiceAsync<JobAggregation, AggregationOutcome?>(a => a.ReaggregateAsync(job.Id, CancellationToken.None));
        var fresh = new Item { Id = Guid.CreateVersion7(), JobId = job.Id, ExternalId = "fresh", Payload = "{\"text\":\"fresh\"}", CreatedAt = DateTime.UtcNow };
        await app.WithDbAsync(db => { db.Items.Add(fresh); return db.SaveChangesAsync(); });

        // A constant "cat" against a careful "dog": gold accuracy alone would call it a coin toss.
        await app.LabelAsync(crowd.Constant[0].UserId, job.Id, "cat");
        await app.LabelAsync(crowd.Careful[0].UserId, job.Id, "dog");

        var item = await app.WithDbAsync(db => db.Items.AsNoTracking().SingleAsync(i => i.Id == fresh.Id));
        Assert.Equal("\"dog\"", item.ConsensusAnswer);
        Assert.True(item.Confidence > 0.8, $"confidence {item.Confidence}");
    }

    [Fact]
    public async Task MajorityVoteJobs_DecideByCounting()
    {
        var job = await app.ActiveJobAsync(items: 1, redundancy: 3);
        await app.WithDbAsync(db => db.Jobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.AggregationMethod, AggregationMethod.MajorityVote)));
        var expert = await app.ContributorAsync(goldCorrect: 99, goldWrong: 1);
        var novices = new[] { await app.ContributorAsync(goldCorrect: 6, goldWrong: 4), await app.ContributorAsync(goldCorrect: 6, goldWrong: 4) };

        await app.LabelAsync(expert, job.Id, "cat");
        foreach (var novice in novices)
        {
            await app.LabelAsync(novice, job.Id, "dog");
        }

        var item = await app.WithDbAsync(db => db.Items.AsNoTracking().SingleAsync(i => i.JobId == job.Id));
        Assert.Equal("\"dog\"", item.ConsensusAnswer);
        Assert.Equal(2.0 / 3, item.Confidence!.Value, 9);
    }

    [Fact]
    public async Task TierReevaluation_MovesContributorsTheirRecordEarns_Once()
    {
        var earned = await app.ContributorAsync(goldCorrect: 95, goldWrong: 2);
        var steady = await app.ContributorAsync(goldCorrect: 0, goldWrong: 0);

        Assert.True(await app.WithServiceAsync<ContributorTiers, int>(t => t.ReevaluateAllAsync(CancellationToken.None)) >= 1);
        Assert.Equal(0, await app.WithServiceAsync<ContributorTiers, int>(t => t.ReevaluateAllAsync(CancellationToken.None)));

        var tiers = await app.WithDbAsync(db => db.ContributorProfiles.Where(p => p.UserId == earned || p.UserId == steady).ToDictionaryAsync(p => p.UserId, p => p.Tier));
        Assert.Equal("Gold", tiers[earned]);
        Assert.Equal("New", tiers[steady]);
    }

    private static string Truth(int i) => i % 2 == 0 ? "dog" : "cat";

    /// <summary>The first careful contributor calls a cat a dog on items 3, 13, ...; the second a dog a cat on 4, 14, ...</summary>
    private static bool Slipped(int i) => i % 10 is 3 or 4;

    private static int Index(string externalId) => int.Parse(externalId[1..], System.Globalization.CultureInfo.InvariantCulture);

    private sealed record Member(string UserId, string Pseudonym);

    private sealed record Crowd(Member[] Careful, Member[] Constant);

    /// <summary>Five contributors who have answered every item and gold item of the job (written straight to the database).</summary>
    private async Task<Crowd> CrowdAsync(Job job)
    {
        var careful = new[] { await app.ContributorAsync(goldCorrect: 9, goldWrong: 1), await app.ContributorAsync(goldCorrect: 9, goldWrong: 1) };
        var constant = new[] { await app.ContributorAsync(goldCorrect: 5, goldWrong: 5), await app.ContributorAsync(goldCorrect: 5, goldWrong: 5), await app.ContributorAsync(goldCorrect: 5, goldWrong: 5) };
        var now = app.Clock.GetUtcNow().UtcDateTime;
        await app.WithDbAsync(async db =>
        {
            var items = await db.Items.Where(i => i.JobId == job.Id).ToListAsync();
            foreach (var item in items)
            {
                // Items are i0..i39, gold g40..g49 whose truth follows the same rule.
                var index = Index(item.ExternalId);
                var truth = Truth(item.IsGold ? index - Items : index);
                var answers = new List<(string Who, string Answer)>
                {
                    (careful[0], index % 10 == 3 ? Other(truth) : truth),
                    (careful[1], index % 10 == 4 ? Other(truth) : truth),
                };
                answers.AddRange(constant.Select(c => (c, "cat")));
                foreach (var (who, answer) in answers)
                {
                    db.Assignments.Add(new Assignment
                    {
                        Id = Guid.CreateVersion7(),
                        JobId = job.Id,
                        ItemId = item.Id,
                        ContributorId = who,
                        Kind = item.IsGold ? AssignmentKind.Gold : AssignmentKind.Label,
                        Status = AssignmentStatus.Submitted,
                        PayMinor = job.PayPerLabelMinor,
                        LeasedAt = now,
                        LeaseExpiresAt = now.AddMinutes(5),
                        EndedAt = now,
                        DurationMs = 4_000,
                        Answer = $"\"{answer}\"",
                        IsCorrect = item.IsGold ? answer == truth : null,
                    });
                }

                item.LabelsHeld = answers.Count;
                item.LabelsSubmitted = answers.Count;
            }

            return await db.SaveChangesAsync();
        });

        var names = await app.WithDbAsync(db => db.ContributorProfiles.AsNoTracking().ToDictionaryAsync(p => p.UserId, p => p.Pseudonym));
        return new Crowd([.. careful.Select(c => new Member(c, names[c]))], [.. constant.Select(c => new Member(c, names[c]))]);

        static string Other(string answer) => answer == "cat" ? "dog" : "cat";
    }
}

public sealed class SqliteJobAggregationTests(SqliteAppFactory app) : JobAggregationTests(app), IClassFixture<SqliteAppFactory>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresJobAggregationTests(PostgresAppFactory app) : JobAggregationTests(app);
