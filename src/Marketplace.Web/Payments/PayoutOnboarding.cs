using Marketplace.Payouts;
using Marketplace.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Payments;

/// <summary>A contributor connects their payout account: Stripe's onboarding link (a dry-run one without a Stripe key).</summary>
public sealed class PayoutOnboarding(MarketplaceDbContext db, ConnectPayoutAccount connect, SetPayoutHold hold)
{
    /// <summary>The link to Stripe's onboarding, which sends the contributor back to <paramref name="back"/> when done or expired.</summary>
    public async Task<OnboardingLink> StartAsync(string userId, Uri back, CancellationToken ct)
    {
        var email = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleAsync(ct);
        var link = await connect.ExecuteAsync(userId, email, null, back, back, ct);

        // A suspension holds payouts; an account connected after it must not slip past that hold.
        if (await db.ContributorProfiles.AnyAsync(p => p.UserId == userId && p.SuspendedAt != null, ct))
        {
            await hold.ExecuteAsync(userId, true, "Contributor is suspended", ct);
        }

        return link;
    }
}
