using System.Security.Claims;
using System.Text.Json;
using Marketplace.Web.Domain;
using Marketplace.Web.Tasks;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Tests.Infrastructure;

/// <summary>Arranges work-loop tests straight in the database: jobs with items and gold, qualified contributors.</summary>
public static class WorkArrangement
{
    public static async Task<Job> ActiveJobAsync(
        this MarketplaceAppFactory app,
        int items,
        int gold = 0,
        TaskType type = TaskType.SingleChoice,
        string[]? labels = null,
        int redundancy = 3,
        double goldRate = 0,
        double? targetConfidence = null,
        string? minimumTier = null,
        JobStatus status = JobStatus.Active,
        Func<int, string>? goldAnswer = null,
        Guid? organizationId = null,
        DateTime? deadline = null,
        Func<int, object>? payload = null)
    {
        var organization = organizationId ?? await app.CreateOrganizationAsync();
        var buyer = await app.CreateUserAsync(Roles.Buyer, organization);
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var job = new Job
        {
            Id = Guid.CreateVersion7(),
            OrganizationId = organization,
            Title = $"{type} job {Guid.NewGuid():N}"[..24],
            Instructions = "Pick the **right** one.",
            TaskType = type,
            Labels = [.. labels ?? (type == TaskType.Pairwise ? ["A", "B"] : ["cat", "dog"])],
            PayPerLabelMinor = 10,
            Currency = "USD",
            Redundancy = redundancy,
            TargetConfidence = targetConfidence,
            GoldRate = goldRate,
            MinimumTier = minimumTier,
            Deadline = deadline,
            BudgetMinor = 1_000_000,
            Status = status,
            CreatedByUserId = buyer.Id,
            CreatedAt = now,
        };
        await app.WithDbAsync(async db =>
        {
            db.Jobs.Add(job);
            for (var i = 0; i < items + gold; i++)
            {
                var isGold = i >= items;
                db.Items.Add(new Item
                {
                    Id = Guid.CreateVersion7(),
                    JobId = job.Id,
                    ExternalId = isGold ? $"g{i}" : $"i{i}",
                    Payload = JsonSerializer.Serialize(payload?.Invoke(i) ?? new { text = $"item {i}" }),
                    IsGold = isGold,
                    GoldAnswer = isGold ? (goldAnswer?.Invoke(i - items) ?? "\"cat\"") : null,
                    CreatedAt = now,
                });
            }

            return await db.SaveChangesAsync();
        });

        // The budget in escrow, through the dry-run gateway (no Stripe key in tests): claims need it covered.
        await app.WithServiceAsync<Marketplace.Payouts.StartJobFunding, Marketplace.Payouts.FundingIntent>(f =>
            f.ExecuteAsync(job.Id, new Marketplace.Payouts.Money(job.BudgetMinor, job.Currency), Guid.NewGuid(), CancellationToken.None));
        return job;
    }

    /// <summary>A contributor with a profile, qualified for the task types given (with a gold record).</summary>
    public static async Task<string> ContributorAsync(this MarketplaceAppFactory app, TaskType[]? qualifiedFor = null, string tier = "New", int goldCorrect = 0, int goldWrong = 0)
    {
        var user = await app.CreateUserAsync(Roles.Contributor);
        await app.ProfileAsync(user.Id, qualifiedFor ?? [TaskType.SingleChoice], tier, goldCorrect, goldWrong);
        return user.Id;
    }

    /// <summary>Gives an existing contributor a profile and passed qualifications.</summary>
    public static async Task ProfileAsync(this MarketplaceAppFactory app, string userId, TaskType[] qualifiedFor, string tier = "New", int goldCorrect = 0, int goldWrong = 0)
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;
        await app.WithDbAsync(async db =>
        {
            if (!await db.ContributorProfiles.AnyAsync(p => p.UserId == userId))
            {
                db.ContributorProfiles.Add(new ContributorProfile { UserId = userId, Pseudonym = $"C-{Guid.NewGuid():N}"[..10], Tier = tier, CreatedAt = now });
            }

            foreach (var type in qualifiedFor)
            {
                db.Qualifications.Add(new Qualification
                {
                    ContributorId = userId,
                    TaskType = type,
                    Status = QualificationStatus.Passed,
                    Attempts = 1,
                    PassedAt = now,
                    GoldCorrect = goldCorrect,
                    GoldWrong = goldWrong,
                    UpdatedAt = now,
                });
            }

            return await db.SaveChangesAsync();
        });
    }

    /// <summary>Claims the contributor's next task of the job and answers it, as the API would; returns the item labelled.</summary>
    public static async Task<Guid> LabelAsync(this MarketplaceAppFactory app, string contributor, Guid jobId, string answer, TimeSpan? thinking = null)
    {
        var principal = Principal(contributor);
        var task = await app.WithServiceAsync<WorkService, TaskView>(async w =>
            (await w.ClaimAsync(principal, jobId, CancellationToken.None)).Result is Microsoft.AspNetCore.Http.HttpResults.Ok<TaskView> ok ? ok.Value! : throw new InvalidOperationException("no task to claim"));
        if (thinking is { } pause)
        {
            app.Clock.Advance(pause);
        }

        var submitted = await app.WithServiceAsync<WorkService, object?>(async w => (await w.SubmitAsync(principal, task.AssignmentId, Answer($"\"{answer}\""), CancellationToken.None)).Result);
        Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.Ok<SubmitResult>>(submitted);
        return await app.WithDbAsync(db => db.Assignments.Where(a => a.Id == task.AssignmentId).Select(a => a.ItemId).SingleAsync());
    }

    public static ClaimsPrincipal Principal(string userId) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId), new Claim(ClaimTypes.Role, Roles.Contributor)], "Test"));

    public static SubmitRequest Answer(string json)
    {
        using var document = JsonDocument.Parse(json);
        return new SubmitRequest(document.RootElement.Clone());
    }
}
