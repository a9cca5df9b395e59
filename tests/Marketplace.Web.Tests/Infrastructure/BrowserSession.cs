using System.Net;
using System.Text.RegularExpressions;

namespace Marketplace.Web.Tests.Infrastructure;

/// <summary>Drives the Razor pages as a browser would: cookies, antiforgery tokens, form posts.</summary>
public sealed partial class BrowserSession(HttpClient client)
{
    public const string Password = "correct horse battery staple";

    public HttpClient Client { get; } = client;

    public async Task<string> AntiforgeryTokenAsync(string page)
    {
        var html = await Client.GetStringAsync(page);
        var match = AntiforgeryField().Match(html);
        Assert.True(match.Success, $"{page} has no antiforgery token.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public async Task<HttpResponseMessage> PostFormAsync(string page, IDictionary<string, string> fields, string? handler = null)
    {
        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = await AntiforgeryTokenAsync(page) };
        var target = handler is null ? page : $"{page}?handler={handler}";
        return await Client.PostAsync(target, new FormUrlEncodedContent(form));
    }

    public Task<HttpResponseMessage> SignUpAsync(string role, string email, string password = Password, string? organization = null, string? confirm = null, string name = "Test Person") =>
        PostFormAsync("/Account/SignUp", new Dictionary<string, string>
        {
            ["Input.Role"] = role,
            ["Input.DisplayName"] = name,
            ["Input.OrganizationName"] = organization ?? "",
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = confirm ?? password,
        });

    public Task<HttpResponseMessage> SignInAsync(string email, string password = Password) =>
        PostFormAsync("/Account/SignIn", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });

    public Task<HttpResponseMessage> ForgotPasswordAsync(string email) =>
        PostFormAsync("/Account/ForgotPassword", new Dictionary<string, string> { ["Email"] = email });

    /// <summary>Follows an emailed reset link: its page, then the new password posted back to it as the page's form does.</summary>
    public Task<HttpResponseMessage> ResetPasswordAsync(Uri link, string password)
    {
        var query = System.Web.HttpUtility.ParseQueryString(link.Query);
        return PostFormAsync(link.PathAndQuery, new Dictionary<string, string>
        {
            ["user"] = query["user"] ?? "",
            ["Code"] = query["code"] ?? "",
            ["Password"] = password,
            ["ConfirmPassword"] = password,
        });
    }

    public static string NewEmail(string who = "person") => $"{who}-{Guid.NewGuid():N}@example.test";

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
