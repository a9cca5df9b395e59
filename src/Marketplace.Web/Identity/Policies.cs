namespace Marketplace.Web.Identity;

public static class Policies
{
    public const string BuyerOrAdmin = nameof(BuyerOrAdmin);
}
