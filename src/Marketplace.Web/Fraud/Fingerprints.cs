using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Marketplace.Web.Data;
using Marketplace.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Marketplace.Web.Fraud;

/// <summary>
/// Records what links accounts, as evidence for collusion: the client's IP address and a device id (a hash of the
/// user agent and a long-lived random device cookie), at sign-in, claim and submit. Payout accounts are read from
/// their own table when a case is built.
/// </summary>
public sealed partial class Fingerprints(MarketplaceDbContext db, IMemoryCache seen, TimeProvider clock, ILogger<Fingerprints> logger)
{
    public const string DeviceCookie = "marketplace.device";

    /// <summary>A repeat within this time costs no write: only first and last sightings matter, not every request.</summary>
    private static readonly TimeSpan Throttle = TimeSpan.FromMinutes(10);

    /// <summary>The device id of this browser, issuing the device cookie first if it has none.</summary>
    public static string DeviceOf(HttpContext context)
    {
        var cookie = context.Request.Cookies[DeviceCookie];
        if (cookie is not { Length: >= 16 and <= 64 })
        {
            cookie = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            context.Response.Cookies.Append(DeviceCookie, cookie, new CookieOptions
            {
                HttpOnly = true,
                IsEssential = true,
                SameSite = SameSiteMode.Lax,
                Secure = context.Request.IsHttps,
                MaxAge = TimeSpan.FromDays(730),
            });
        }

        var agent = context.Request.Headers.UserAgent.ToString();
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{agent}\n{cookie}")))[..32].ToLowerInvariant();
    }

    /// <summary>Records the request's address and device for the user. A failure is logged, never the request's failure.</summary>
    public async Task RecordAsync(string userId, HttpContext context, CancellationToken ct)
    {
        try
        {
            if (context.Connection.RemoteIpAddress is { } ip)
            {
                await SeenAsync(userId, FingerprintKind.Ip, (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString(), ct);
            }

            await SeenAsync(userId, FingerprintKind.Device, DeviceOf(context), ct);
        }
        catch (DbUpdateException e)
        {
            LogRecordFailed(logger, e, userId);
        }
    }

    public async Task SeenAsync(string userId, FingerprintKind kind, string value, CancellationToken ct)
    {
        var key = (userId, kind, value);
        if (seen.TryGetValue(key, out _))
        {
            return;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var fingerprints = db.Set<ContributorFingerprint>();
        var updated = await fingerprints.Where(f => f.UserId == userId && f.Kind == kind && f.Value == value)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.LastSeenAt, now).SetProperty(f => f.Seen, f => f.Seen + 1), ct);
        if (updated == 0)
        {
            var fingerprint = new ContributorFingerprint { UserId = userId, Kind = kind, Value = value, FirstSeenAt = now, LastSeenAt = now, Seen = 1 };
            fingerprints.Add(fingerprint);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // The same sighting from a concurrent request got in first: it is recorded either way.
                db.ChangeTracker.Clear();
            }
            finally
            {
                if (db.Entry(fingerprint).State != EntityState.Detached)
                {
                    db.Entry(fingerprint).State = EntityState.Detached;
                }
            }
        }

        seen.Set(key, true, Throttle);
    }

    /// <summary>
    /// Other accounts sharing an address, a device or a payout account with each of <paramref name="contributors"/>,
    /// and the shared values; the most strongly linked first, at most <paramref name="max"/> each.
    /// </summary>
    public static async Task<Dictionary<string, List<EvidencePartner>>> LinkedAccountsAsync(MarketplaceDbContext db, IReadOnlyCollection<string> contributors, int max, CancellationToken ct)
    {
        var fingerprints = db.Set<ContributorFingerprint>().AsNoTracking();
        var shared = await (
            from mine in fingerprints
            join other in fingerprints on new { mine.Kind, mine.Value } equals new { other.Kind, other.Value }
            where contributors.Contains(mine.UserId) && other.UserId != mine.UserId
            select new { Contributor = mine.UserId, Partner = other.UserId, mine.Kind, mine.Value }).ToListAsync(ct);
        var payouts = await (
            from mine in db.PayoutAccounts.AsNoTracking()
            join other in db.PayoutAccounts.AsNoTracking() on mine.GatewayAccountId equals other.GatewayAccountId
            where contributors.Contains(mine.ContributorId) && other.ContributorId != mine.ContributorId
            select new { Contributor = mine.ContributorId, Partner = other.ContributorId, Value = mine.GatewayAccountId }).ToListAsync(ct);
        var links = shared.Select(s => (s.Contributor, s.Partner, Link: new EvidenceLink(s.Kind.ToString(), s.Value)))
            .Concat(payouts.Select(p => (p.Contributor, p.Partner, Link: new EvidenceLink("PayoutAccount", p.Value))))
            .ToList();
        var partners = links.Select(l => l.Partner).Distinct().ToList();
        var pseudonyms = await PseudonymsAsync(db, partners, ct);
        return links.GroupBy(l => l.Contributor).ToDictionary(
            g => g.Key,
            g => g.GroupBy(l => l.Partner)
                .Select(p => new EvidencePartner(p.Key, pseudonyms.GetValueOrDefault(p.Key, p.Key), p.Select(l => l.Link).Distinct().OrderBy(l => l.Kind, StringComparer.Ordinal).ThenBy(l => l.Value, StringComparer.Ordinal).ToList()))
                .OrderByDescending(p => p.Links.Count)
                .ThenBy(p => p.ContributorId, StringComparer.Ordinal)
                .Take(max)
                .ToList());
    }

    public static async Task<Dictionary<string, string>> PseudonymsAsync(MarketplaceDbContext db, IReadOnlyCollection<string> contributors, CancellationToken ct) =>
        contributors.Count == 0
            ? []
            : await db.ContributorProfiles.AsNoTracking().Where(p => contributors.Contains(p.UserId)).ToDictionaryAsync(p => p.UserId, p => p.Pseudonym, ct);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the fingerprint of {UserId}")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string userId);
}

/// <summary>Records fingerprints on the work loop's writes: claims and submits.</summary>
public sealed class FingerprintMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, Fingerprints fingerprints)
    {
        if (HttpMethods.IsPost(context.Request.Method)
            && context.Request.Path.StartsWithSegments("/api/work", out var rest)
            && (rest.Value?.EndsWith("/claim", StringComparison.Ordinal) == true || rest.Value?.EndsWith("/submit", StringComparison.Ordinal) == true)
            && context.User.IsInRole(Roles.Contributor)
            && context.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId)
        {
            await fingerprints.RecordAsync(userId, context, context.RequestAborted);
        }

        await next(context);
    }
}
