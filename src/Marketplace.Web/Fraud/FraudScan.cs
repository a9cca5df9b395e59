using System.Security.Claims;
using System.Text.Json;
using Marketplace.Scoring;
using Marketplace.Scoring.Consensus;
using Marketplace.Scoring.Fraud;
using Marketplace.Web.Audit;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Jobs;
using Marketplace.Web.Quality;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;

namespace Marketplace.Web.Fraud;

public sealed record FraudScanResult(int Contributors, int Opened, int Updated);

/// <summary>
/// Runs the scoring engine's fraud signals over every contributor who submitted lately: speed, gold-failure
/// streaks and constant answers over their latest answers, the spammer score over each job's estimate of them,
/// and collusion over the pairs labelling the same items. A flag opens a case per (contributor, kind), or
/// refreshes the evidence of the one already open. Safe twice and on several nodes: the open-key index lets
/// only one case in, and a refresh writes the same evidence.
/// </summary>
public sealed partial class FraudScan(
    MarketplaceDbContext db,
    AuditLog audit,
    Live.ILiveNotifier live,
    TimeProvider clock,
    IOptions<FraudOptions> options,
    GoldRecords goldRecords,
    ILogger<FraudScan> logger)
{
    private FraudOptions Options => options.Value;

    private sealed record Finding(string Contributor, FraudCaseKind Kind, FraudSignal Signal, List<string> Notes, List<EvidencePartner> Partners);

    /// <summary>An admin runs the scan now rather than waiting for the schedule; the run is audited.</summary>
    public async Task<FraudScanResult> RunNowAsync(ClaimsPrincipal admin, CancellationToken ct)
    {
        var result = await RunAsync(ct);
        audit.Record(AuditActor.From(admin), "case.scan", "FraudScan", "manual", null, result);
        await db.SaveChangesAsync(ct);
        return result;
    }

    public async Task<FraudScanResult> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var since = now.AddHours(-Options.LookbackHours);
        var active = await (
            from a in db.Assignments.AsNoTracking()
            join p in db.ContributorProfiles.AsNoTracking() on a.ContributorId equals p.UserId
            where a.Status == AssignmentStatus.Submitted && a.QualificationAttemptId == null && a.EndedAt >= since && p.SuspendedAt == null
            select a.ContributorId).Distinct().ToListAsync(ct);
        if (active.Count == 0)
        {
            return new FraudScanResult(0, 0, 0);
        }

        var (findings, answers) = await SignalsAsync(active, ct);
        findings.AddRange(await CollusionAsync(active.ToHashSet(StringComparer.Ordinal), since, ct));
        var flagged = findings.Where(f => f.Signal.Flagged).ToList();
        var linked = await Fingerprints.LinkedAccountsAsync(db, flagged.Select(f => f.Contributor).Distinct().ToList(), Options.MaxPartners, ct);
        int opened = 0, updated = 0;
        foreach (var finding in flagged)
        {
            var partners = finding.Partners.Concat(linked.GetValueOrDefault(finding.Contributor) ?? [])
                .GroupBy(p => p.ContributorId)
                .Select(g => g.Aggregate((a, b) => a with { Links = a.Links.Concat(b.Links).Distinct().ToList() }))
                .Take(Options.MaxPartners)
                .ToList();
            var recent = answers.GetValueOrDefault(finding.Contributor) ?? [];
            var evidence = new CaseEvidence(
                new EvidenceSignal(finding.Signal.Kind, finding.Signal.Score, finding.Signal.Evidence),
                recent,
                recent.Where(a => a.Gold && a.Correct == false).ToList(),
                partners,
                finding.Notes);
            switch (await OpenOrRefreshAsync(finding.Contributor, finding.Kind, finding.Signal, evidence, now, ct))
            {
                case true:
                    opened++;
                    break;
                case false:
                    updated++;
                    break;
            }
        }

        if (opened + updated > 0)
        {
            LogScanned(logger, active.Count, opened, updated);
        }

        return new FraudScanResult(active.Count, opened, updated);
    }

    /// <summary>Each contributor's own signals (speed, gold failures, constant answers, spammer score), with the answers they rest on.</summary>
    private async Task<(List<Finding> Findings, Dictionary<string, List<EvidenceAnswer>> Answers)> SignalsAsync(List<string> active, CancellationToken ct)
    {
        var findings = new List<Finding>();
        var answers = new Dictionary<string, List<EvidenceAnswer>>();
        foreach (var contributor in active)
        {
            var recent = await RecentAsync(contributor, ct);
            answers[contributor] = recent;
            var history = recent.Select(r => new RecentAnswer(r.ItemId.ToString(), r.Answer, r.Seconds, r.Gold ? r.Correct : null)).ToList();
            findings.Add(new(contributor, FraudCaseKind.TooFast, FraudSignals.TooFast(history, Options.TimeFloorSeconds, Options.TooFastWindow, Options.TooFastThreshold), [], []));
            findings.Add(new(contributor, FraudCaseKind.GoldFailureStreak, FraudSignals.GoldFailureStreak(history, Options.GoldFailureStreak), [], []));
            findings.Add(new(contributor, FraudCaseKind.ConstantAnswers, FraudSignals.ConstantAnswers(history, Options.ConstantMinAnswers, Options.ConstantMaxShare), [], []));
            if (await SpammerAsync(contributor, ct) is { } spammer)
            {
                findings.Add(spammer);
            }
        }

        return (findings, answers);
    }

    /// <summary>The contributor's latest paid answers, oldest first.</summary>
    private async Task<List<EvidenceAnswer>> RecentAsync(string contributor, CancellationToken ct)
    {
        var rows = await db.Assignments.AsNoTracking()
            .Where(a => a.ContributorId == contributor && a.Status == AssignmentStatus.Submitted && a.QualificationAttemptId == null && a.Answer != null)
            .OrderByDescending(a => a.EndedAt)
            .ThenByDescending(a => a.Id)
            .Take(Options.RecentAnswers)
            .Select(a => new { a.Id, a.JobId, a.ItemId, a.Answer, a.DurationMs, a.Kind, a.IsCorrect, a.EndedAt })
            .ToListAsync(ct);
        rows.Reverse();
        return rows.Select(r => new EvidenceAnswer(r.Id, r.JobId, r.ItemId, AnswerJson.Text(r.Answer!), (r.DurationMs ?? 0) / 1000.0, r.Kind == AssignmentKind.Gold, r.IsCorrect, r.EndedAt ?? default)).ToList();
    }

    /// <summary>Raykar &amp; Yu's spammer score over each running job's estimate of the contributor; flagged when any job's is.</summary>
    private async Task<Finding?> SpammerAsync(string contributor, CancellationToken ct)
    {
        var estimates = await (
            from e in db.JobContributorEstimates.AsNoTracking()
            join j in db.Jobs.AsNoTracking() on e.JobId equals j.Id
            where e.ContributorId == contributor && e.Labels >= Options.SpammerMinLabels && (j.Status == JobStatus.Active || j.Status == JobStatus.Paused)
            select new { Estimate = e, Job = j }).ToListAsync(ct);
        var judged = new List<(Job Job, FraudSignal Signal)>();
        foreach (var row in estimates.Where(r => r.Job.TaskType.IsCategorical()))
        {
            var classes = row.Job.Classes;
            var confusion = row.Estimate.Confusion is { } json ? JsonSerializer.Deserialize<JobAggregation.StoredConfusion>(json) : null;
            judged.Add((row.Job, confusion is not null && confusion.Classes.Count >= 2 && confusion.Matrix.Count == confusion.Classes.Count * confusion.Classes.Count
                ? FraudSignals.SpammerScore(confusion.Matrix, confusion.Classes.Count)
                : FraudSignals.SpammerScore(row.Estimate.Accuracy, classes.Count)));
        }

        if (judged.Count == 0)
        {
            return null;
        }

        var worst = judged.OrderByDescending(j => j.Signal.Flagged).ThenByDescending(j => j.Signal.Score).First();
        var notes = judged.Select(j => $"{j.Job.Title}: {j.Signal.Evidence}{(j.Signal.Flagged ? " (flagged)" : "")}").ToList();
        return new Finding(contributor, FraudCaseKind.SpammerScore, worst.Signal, notes, []);
    }

    /// <summary>Pairwise collusion over each categorical job with recent labels, sharing a device or address counting against a pair.</summary>
    private async Task<List<Finding>> CollusionAsync(HashSet<string> active, DateTime since, CancellationToken ct)
    {
        // Any job labelled lately, finished ones too: a pair that finished a job together is no less suspicious.
        var jobs = await db.Jobs.AsNoTracking()
            .Where(j => db.Assignments.Any(a => a.JobId == j.Id && a.Status == AssignmentStatus.Submitted && a.QualificationAttemptId == null && a.EndedAt >= since))
            .ToListAsync(ct);
        var byContributor = new Dictionary<string, Finding>(StringComparer.Ordinal);
        foreach (var job in jobs.Where(j => j.TaskType.IsCategorical()))
        {
            var rows = await (
                from a in db.Assignments.AsNoTracking()
                join i in db.Items.AsNoTracking() on a.ItemId equals i.Id
                where a.JobId == job.Id && a.Status == AssignmentStatus.Submitted && a.QualificationAttemptId == null && a.Answer != null
                select new { a.ItemId, a.ContributorId, a.Answer, i.IsGold, i.GoldAnswer }).ToListAsync(ct);
            var contributors = rows.Select(r => r.ContributorId).Distinct().ToList();
            if (contributors.Count < 2)
            {
                continue;
            }

            var labels = LabelSet.Create(rows.Select(r => new AnswerTriple(r.ItemId.ToString(), r.ContributorId, AnswerJson.Text(r.Answer!))), job.Classes);
            var gold = rows.Where(r => r.IsGold && r.GoldAnswer is not null).Select(r => new GoldAnswer(r.ItemId.ToString(), AnswerJson.Text(r.GoldAnswer!))).Distinct().ToList();
            var profiles = await ProfilesAsync(job, contributors, ct);
            var pairs = FraudSignals.Collusion(labels, profiles.Values, gold, new CollusionOptions(Options.CollusionMinSharedItems, Options.CollusionZThreshold));
            foreach (var pair in pairs)
            {
                foreach (var (self, partner) in new[] { (pair.ContributorA, pair.ContributorB), (pair.ContributorB, pair.ContributorA) })
                {
                    if (!active.Contains(self))
                    {
                        continue;
                    }

                    var links = profiles[self].Fingerprints.Intersect(profiles[partner].Fingerprints, StringComparer.Ordinal)
                        .Select(f => f.Split(':', 2)).Select(f => new EvidenceLink(f[0], f[1])).ToList();
                    var signal = new FraudSignal("Collusion", pair.Score, true, pair.Evidence);
                    var evidencePartner = new EvidencePartner(partner, partner, links, pair.SharedItems, pair.Agreements, Math.Round(pair.ExpectedAgreements, 2), pair.SharedWrongGold);
                    var note = $"{job.Title}: with {partner}: {pair.Evidence}";
                    if (byContributor.TryGetValue(self, out var found))
                    {
                        found.Partners.Add(evidencePartner);
                        found.Notes.Add(note);
                        if (pair.Score > found.Signal.Score)
                        {
                            byContributor[self] = found with { Signal = signal };
                        }
                    }
                    else
                    {
                        byContributor[self] = new Finding(self, FraudCaseKind.Collusion, signal, [note], [evidencePartner]);
                    }
                }
            }
        }

        var pseudonyms = await Fingerprints.PseudonymsAsync(db, byContributor.Values.SelectMany(f => f.Partners).Select(p => p.ContributorId).Distinct().ToList(), ct);
        return byContributor.Values.Select(f => f with
        {
            Partners = f.Partners.GroupBy(p => p.ContributorId)
                .Select(g => g.OrderByDescending(p => p.SharedItems).First() with { Pseudonym = pseudonyms.GetValueOrDefault(g.Key, g.Key) })
                .ToList(),
        }).ToList();
    }

    /// <summary>Each contributor's accuracy on the job (its estimate, else their gold record) and fingerprints (addresses, devices, payout account).</summary>
    private async Task<Dictionary<string, Scoring.Fraud.ContributorProfile>> ProfilesAsync(Job job, List<string> contributors, CancellationToken ct)
    {
        var estimates = await db.JobContributorEstimates.AsNoTracking()
            .Where(e => e.JobId == job.Id && contributors.Contains(e.ContributorId))
            .ToDictionaryAsync(e => e.ContributorId, e => e.Accuracy, ct);
        var gold = await goldRecords.MeansAsync(job.TaskType, contributors, ct);
        var fingerprints = (await db.Set<ContributorFingerprint>().AsNoTracking()
                .Where(f => contributors.Contains(f.UserId))
                .Select(f => new { f.UserId, f.Kind, f.Value })
                .ToListAsync(ct))
            .Select(f => (f.UserId, Print: $"{f.Kind}:{f.Value}"))
            .Concat((await db.PayoutAccounts.AsNoTracking().Where(p => contributors.Contains(p.ContributorId)).Select(p => new { p.ContributorId, p.GatewayAccountId }).ToListAsync(ct))
                .Select(p => (UserId: p.ContributorId, Print: $"PayoutAccount:{p.GatewayAccountId}")))
            .ToLookup(f => f.UserId, f => f.Print);
        return contributors.ToDictionary(
            c => c,
            c => new Scoring.Fraud.ContributorProfile(c, estimates.TryGetValue(c, out var a) ? a : gold.GetValueOrDefault(c, 0.7), fingerprints[c].ToList()),
            StringComparer.Ordinal);
    }

    /// <summary>Opens a case (true), refreshes the open one's evidence (false), or finds nothing new to write (null).</summary>
    private async Task<bool?> OpenOrRefreshAsync(string contributor, FraudCaseKind kind, FraudSignal signal, CaseEvidence evidence, DateTime now, CancellationToken ct)
    {
        var key = FraudCase.KeyOf(contributor, kind);
        var json = JsonSerializer.Serialize(evidence, JsonSerializerOptions.Web);
        var summary = Truncate(signal.Evidence, 2000);
        var cases = db.Set<FraudCase>();
        var open = await cases.SingleOrDefaultAsync(c => c.OpenKey == key, ct);
        if (open is not null)
        {
            if (open.Evidence == json)
            {
                return null;
            }

            open.Evidence = json;
            open.Summary = summary;
            open.Score = signal.Score;
            open.UpdatedAt = now;
            open.Version++;
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                // An admin acted on it (or another node refreshed it) meanwhile: the next scan brings it up to date.
                db.ChangeTracker.Clear();
                return null;
            }

            db.ChangeTracker.Clear();
            return false;
        }

        var opened = new FraudCase
        {
            Id = Guid.CreateVersion7(),
            ContributorId = contributor,
            Kind = kind,
            Status = FraudCaseStatus.Open,
            OpenKey = key,
            Score = signal.Score,
            Summary = summary,
            Evidence = json,
            OpenedAt = now,
            UpdatedAt = now,
            Version = 1,
        };
        cases.Add(opened);
        db.Set<FraudCaseAction>().Add(new FraudCaseAction { CaseId = opened.Id, Action = FraudCaseActionKind.Opened, ActorId = AuditActor.SystemId, ActorName = AuditActor.System.Name, At = now, Reason = summary });
        audit.Record(AuditActor.System, "case.open", "FraudCase", opened.Id.ToString(), summary, new { contributor, kind = kind.ToString(), score = signal.Score });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another node opened the same case a moment ago: the unique open key kept it single.
            db.ChangeTracker.Clear();
            return null;
        }

        db.ChangeTracker.Clear();
        var pseudonym = await db.ContributorProfiles.AsNoTracking().Where(p => p.UserId == contributor).Select(p => p.Pseudonym).SingleOrDefaultAsync(ct);
        await live.FraudCaseOpenedAsync(new Live.FraudCaseNotice(opened.Id, contributor, pseudonym ?? contributor, kind.ToString(), signal.Score, summary, now), ct);
        return true;
    }

    internal static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];

    [LoggerMessage(Level = LogLevel.Information, Message = "Fraud scan over {Contributors} contributors: {Opened} cases opened, {Updated} refreshed")]
    private static partial void LogScanned(ILogger logger, int contributors, int opened, int updated);
}
