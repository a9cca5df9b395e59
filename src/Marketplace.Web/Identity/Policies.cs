namespace Marketplace.Web.Identity;

public static class Policies
{
    public const string BuyerOrAdmin = nameof(BuyerOrAdmin);

    /// <summary>Making, listing and revoking API tokens: buyers and admins, signed in with the cookie, never with a token.</summary>
    public const string ManageTokens = nameof(ManageTokens);
}
