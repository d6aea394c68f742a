using System;
using System.Collections.Generic;
using System.IO;

namespace KmsTools.Cli
{
    /// <summary>
    /// The settings of one profile in the AWS config file ($AWS_CONFIG_FILE, else ~/.aws/config) that decide where
    /// requests go: region and endpoint_url. Credentials are the SDK's business; this only reads what the module
    /// needs before it knows whether to load the SDK at all.
    /// </summary>
    public static class AwsConfigFile
    {
        public static string ActiveProfile(string explicitProfile) =>
            !string.IsNullOrWhiteSpace(explicitProfile) ? explicitProfile
            : Environment.GetEnvironmentVariable("AWS_PROFILE") is string fromEnvironment && fromEnvironment.Length > 0 ? fromEnvironment
            : null;

        /// <summary>The profile names of the config file ([profile x], [default]) and the credentials file ([x]), for completion.</summary>
        public static IReadOnlyList<string> ProfileNames()
        {
            var names = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var (path, isConfig) in new[] { (FilePath("AWS_CONFIG_FILE", "config"), true), (FilePath("AWS_SHARED_CREDENTIALS_FILE", "credentials"), false) })
            {
                if (!File.Exists(path)) continue;
                foreach (string raw in File.ReadAllLines(path))
                {
                    string line = raw.Trim();
                    if (line.Length < 3 || line[0] != '[' || line[line.Length - 1] != ']') continue;
                    string section = line.Substring(1, line.Length - 2).Trim();
                    if (isConfig && section.StartsWith("profile ", StringComparison.Ordinal)) names.Add(section.Substring("profile ".Length).Trim());
                    else if (isConfig && section == "default" || !isConfig) names.Add(section);
                }
            }
            return new List<string>(names);
        }

        private static string FilePath(string variable, string name)
        {
            string path = Environment.GetEnvironmentVariable(variable);
            if (!string.IsNullOrWhiteSpace(path)) return path;
            string home = Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return Path.Combine(home, ".aws", name);
        }

        public static IReadOnlyDictionary<string, string> Read(string profile)
        {
            string wanted = profile == null || profile == "default" ? "default" : "profile " + profile;
            return ReadSections(FilePath("AWS_CONFIG_FILE", "config")).TryGetValue(wanted, out Dictionary<string, string> settings)
                ? settings
                : new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        }

        /// <summary>
        /// Every section of an AWS INI file (config or credentials) with its settings, as botocore reads them:
        /// # and ; start comments, indented lines belong to a nested setting and are skipped. A missing file is empty.
        /// </summary>
        public static Dictionary<string, Dictionary<string, string>> ReadSections(string path)
        {
            var sections = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
            if (!File.Exists(path)) return sections;
            Dictionary<string, string> current = null;
            foreach (string raw in File.ReadAllLines(path))
            {
                string line = raw.Trim();
                if (line.Length == 0 || line[0] == '#' || line[0] == ';') continue;
                if (line[0] == '[' && line[line.Length - 1] == ']')
                {
                    string name = line.Substring(1, line.Length - 2).Trim();
                    if (!sections.TryGetValue(name, out current))
                        sections[name] = current = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    continue;
                }
                int equals = line.IndexOf('=');
                if (equals > 0 && current != null && !char.IsWhiteSpace(raw[0]))
                    current[line.Substring(0, equals).Trim()] = line.Substring(equals + 1).Trim();
            }
            return sections;
        }
    }
}
