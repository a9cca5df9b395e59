namespace Marketplace.Web.Tests.Infrastructure;

public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    /// <summary>Debug or Release: whichever this test assembly was built as.</summary>
    public static string BuildConfiguration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar)).Parent!.Name;

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Marketplace.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Marketplace.sln above {AppContext.BaseDirectory}.");
    }
}
