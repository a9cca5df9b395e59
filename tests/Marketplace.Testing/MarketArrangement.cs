using System.IO.Pipelines;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Marketplace.Web.Hosting;
using Marketplace.Web.Jobs;
using Marketplace.Web.Payments;
using Marketplace.Web.Tasks;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Testing;

/// <summary>
/// Arranges a market through the app's own use cases, as its users would: a buyer posts a job (<see cref="CreateJob"/>),
/// uploads its items and gold (<see cref="ItemImport"/>), funds it through the dry-run gateway (<see cref="FundJob"/>)
/// and launches it (<see cref="ChangeJobStatus"/>); contributors claim and answer (<see cref="ClaimTask"/>,
/// <see cref="SubmitAnswer"/>). Accounts are made with Identity's <see cref="UserManager{TUser}"/>, as sign-up makes them,
/// without a password unless one is asked for (hashing one costs a tenth of a second). Two shortcuts, said here: a
/// contributor's qualification and gold record are written directly, because the app grants them only for answered
/// gold, which a fresh market does not have yet; and a gold rate above the buyers' limit of 0.5 (a test that needs
/// every task to be gold) is written directly after the job is posted at that limit.
/// </summary>
public sealed class MarketArrangement(IServiceProvider services, TimeProvider clock)
{
    /// <summary>The highest gold rate a buyer may ask for (CreateJob's rule).</summary>
    public const double MaxBuyerGoldRate = 0.5;

    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public Task<T> WithAsync<TService, T>(Func<TService, Task<T>> work)
        where TService : notnull =>
        WithScopeAsync(sp => work(sp.GetRequiredService<TService>()));

    public Task<Guid> OrganizationAsync(string? name = null) => WithScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<MarketplaceDbContext>();
        var organization = new Organization { Id = Guid.NewGuid(), Name = name ?? $"Org {Guid.NewGuid():N}", CreatedAt = clock.GetUtcNow().UtcDateTime };
        db.Organizations.Add(organization);
        await db.SaveChangesAsync();
        return organization.Id;
    });

    /// <summary>An account in <paramref name="role"/>, with a password only when one is given.</summary>
    public Task<ApplicationUser> UserAsync(string role, Guid? organizationId = null, string? password = null, string? email = null) => WithScopeAsync(async sp =>
    {
        var users = sp.GetRequiredService<UserManager<ApplicationUser>>();
        email ??= $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@example.test";
        // Confirmed, as after the sign-up email's link: sign-in needs it.
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = role, OrganizationId = organizationId, CreatedAt = clock.GetUtcNow().UtcDateTime };
        Check(password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, password));
        Check(await users.AddToRoleAsync(user, role));
        return user;
    });

    /// <summary>A job set up as its buyer would: posted, filled, funded and moved to <see cref="JobSetup.Status"/>.</summary>
    public async Task<Job> JobAsync(JobSetup setup, ApplicationUser? buyer = null)
    {
        buyer ??= await UserAsync(Roles.Buyer, setup.OrganizationId ?? await OrganizationAsync());
        var principal = Principal(buyer.Id, Roles.Buyer);
        var created = await WithAsync<CreateJob, Outcome<Job>>(create => create.ExecuteAsync(principal, Request(setup), CancellationToken.None));
        var job = Succeeded(created, "create the job");
        if (setup.GoldRate > MaxBuyerGoldRate)
        {
            job = await WithScopeAsync(async sp =>
            {
                var db = sp.GetRequiredService<MarketplaceDbContext>();
                await db.Jobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.GoldRate, setup.GoldRate));
                return await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == job.Id);
            });
        }
        if (setup.Items > 0)
        {
            await ImportAsync(job.Id, Rows(setup, gold: false), gold: false);
        }

        if (setup.Gold > 0)
        {
            await ImportAsync(job.Id, Rows(setup, gold: true), gold: true);
        }

        foreach (var step in JobTransition.PathFromDraft(setup.Status))
        {
            job = step == JobTransition.Fund
                ? await FundAsync(job, setup.BudgetMinor)
                : Succeeded(await WithAsync<ChangeJobStatus, Outcome<Job>>(change => change.ExecuteAsync(principal, job.Id, step, CancellationToken.None)), step.Name);
        }

        return job;
    }

    /// <summary>Funds <paramref name="amountMinor"/> into the job's escrow through the dry-run gateway; a draft becomes Funded.</summary>
    public Task<Job> FundAsync(Job job, long amountMinor) => WithScopeAsync(async sp =>
    {
        Succeeded(await sp.GetRequiredService<FundJob>().ExecuteAsync(job, amountMinor, CancellationToken.None), "fund the job");
        return await sp.GetRequiredService<MarketplaceDbContext>().Jobs.AsNoTracking().SingleAsync(j => j.Id == job.Id);
    });

    /// <summary>A contributor with a profile, qualified for the task types given with a gold record.</summary>
    public async Task<string> ContributorAsync(TaskType[]? qualifiedFor = null, string tier = "New", int goldCorrect = 0, int goldWrong = 0)
    {
        var user = await UserAsync(Roles.Contributor);
        await ProfileAsync(user.Id, qualifiedFor ?? [TaskType.SingleChoice], tier, goldCorrect, goldWrong);
        return user.Id;
    }

    /// <summary>Gives an existing contributor a profile (if they have none) and passed qualifications with a gold record.</summary>
    public Task ProfileAsync(string userId, TaskType[] qualifiedFor, string tier = "New", int goldCorrect = 0, int goldWrong = 0) => WithScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<MarketplaceDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
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

    /// <summary>The contributor's next task of the job (or of any job), or null when none is left for them.</summary>
    public async Task<TaskView?> ClaimAsync(string contributor, Guid? jobId)
    {
        var outcome = await WithAsync<ClaimTask, Outcome<TaskView?>>(claim => claim.ExecuteAsync(contributor, jobId, CancellationToken.None));
        return outcome.Failure is { } failure ? throw new InvalidOperationException($"Claim refused: {failure.Title}: {failure.Detail}") : outcome.Value;
    }

    public Task<Outcome<SubmitResult>> SubmitAsync(string contributor, Guid assignmentId, string answerJson) =>
        WithAsync<SubmitAnswer, Outcome<SubmitResult>>(submit => submit.ExecuteAsync(contributor, assignmentId, Answer(answerJson), CancellationToken.None));

    /// <summary>Claims the contributor's next task of the job and answers it (<paramref name="answer"/> is a label); returns the item labelled.</summary>
    public async Task<Guid> LabelAsync(string contributor, Guid jobId, string answer, Action? whileThinking = null)
    {
        var task = await ClaimAsync(contributor, jobId) ?? throw new InvalidOperationException("No task to claim.");
        whileThinking?.Invoke();
        Succeeded(await SubmitAsync(contributor, task.AssignmentId, JsonSerializer.Serialize(answer)), "submit");
        return await WithScopeAsync(sp => sp.GetRequiredService<MarketplaceDbContext>().Assignments.Where(a => a.Id == task.AssignmentId).Select(a => a.ItemId).SingleAsync());
    }

    public static ClaimsPrincipal Principal(string userId, string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId), new Claim(ClaimTypes.Role, role)], "Arranged"));

    public static SubmitRequest Answer(string json)
    {
        using var document = JsonDocument.Parse(json);
        return new SubmitRequest(document.RootElement.Clone());
    }

    /// <summary>What the task type reads, for item <paramref name="i"/>.</summary>
    public static object DefaultPayload(TaskType type, int i) => type switch
    {
        TaskType.BoundingBox => new { imageUrl = $"https://images.example.test/{i}.png" },
        TaskType.Pairwise => new { a = $"Response A of pair {i}", b = $"Response B of pair {i}" },
        _ => new { text = $"item {i}" },
    };

    private static CreateJobRequest Request(JobSetup setup) => new(
        setup.Title ?? $"{setup.Type} job {Guid.NewGuid():N}"[..24],
        setup.Instructions,
        setup.Type,
        setup.Classes,
        setup.PayPerLabelMinor,
        "USD",
        setup.Redundancy,
        setup.TargetConfidence,
        Math.Min(setup.GoldRate, MaxBuyerGoldRate),
        setup.MinimumTier,
        [],
        [],
        setup.Deadline,
        setup.BudgetMinor,
        setup.AggregationMethod);

    /// <summary>The upload's JSON Lines, written as they are read, so a million items never sit in memory.</summary>
    private static IEnumerable<string> Rows(JobSetup setup, bool gold)
    {
        var (from, count) = gold ? (setup.Items, setup.Gold) : (0, setup.Items);
        for (var i = from; i < from + count; i++)
        {
            var payload = setup.Payload?.Invoke(i) ?? DefaultPayload(setup.Type, i);
            yield return gold
                ? $"{{\"id\":\"g{i}\",\"payload\":{JsonSerializer.Serialize(payload)},\"answer\":{setup.GoldAnswer?.Invoke(i - setup.Items) ?? "\"cat\""}}}"
                : $"{{\"id\":\"i{i}\",\"payload\":{JsonSerializer.Serialize(payload)}}}";
        }
    }

    private async Task ImportAsync(Guid jobId, IEnumerable<string> rows, bool gold)
    {
        var pipe = new Pipe();
        var writing = Task.Run(async () =>
        {
            foreach (var row in rows)
            {
                if ((await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(row + "\n"))).IsCompleted)
                {
                    break; // the import stopped reading (a bad row)
                }
            }

            await pipe.Writer.CompleteAsync();
        });
        var outcome = await WithScopeAsync(async sp =>
        {
            var job = await sp.GetRequiredService<MarketplaceDbContext>().Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId);
            await using var body = pipe.Reader.AsStream();
            return await sp.GetRequiredService<ItemImport>().ImportAsync(job, body, ImportFormat.JsonLines, gold, CancellationToken.None);
        });
        await writing;
        if (!outcome.Succeeded)
        {
            throw new InvalidOperationException($"Import refused: {string.Join("; ", outcome.Errors.Select(e => $"row {e.Row} {e.Field} {e.Message}"))}");
        }
    }

    private static T Succeeded<T>(Outcome<T> outcome, string what) =>
        outcome.Failure is { } failure ? throw new InvalidOperationException($"Could not {what}: {failure.Title}: {failure.Detail}") : outcome.Value!;

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
