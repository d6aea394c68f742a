using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;

namespace KmsTools.Infrastructure
{
    /// <summary>
    /// The paths of the file cmdlets: -Path with wildcards and -LiteralPath resolved as PowerShell's file cmdlets do
    /// (file system only, folders refused with advice), and each input's destination: beside it with the suffix added
    /// (Protect) or removed (Unprotect; ".decrypted" added when the name has no suffix, as aws-encryption-cli does),
    /// in a -Destination folder, or the -Destination file itself, which one invocation writes once.
    /// </summary>
    internal sealed class MessageFilePaths
    {
        private readonly PSCmdlet _cmdlet;
        private readonly HashSet<string> _written = new HashSet<string>(StringComparer.Ordinal);

        public MessageFilePaths(PSCmdlet cmdlet)
        {
            _cmdlet = cmdlet;
        }

        /// <summary>The input files of one pipeline item; what does not resolve, or is no file, fails alone.</summary>
        public IEnumerable<string> Inputs(string[] paths, bool literal, Action<Exception, string> fail)
        {
            foreach (string given in paths ?? new string[0])
            {
                List<string> resolved = new List<string>();
                try
                {
                    if (literal)
                    {
                        string path = _cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(given);
                        if (!File.Exists(path) && !Directory.Exists(path))
                            throw new KmsException(KmsErrorCodes.NotFound, $"There is no file '{path}'.", "Path");
                        resolved.Add(path);
                    }
                    else
                    {
                        System.Collections.ObjectModel.Collection<string> matches = _cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(given, out ProviderInfo provider);
                        if (provider.Name != "FileSystem")
                            throw new KmsException(KmsErrorCodes.Validation, $"'{given}' is on the {provider.Name} drive; only files can be encrypted.", "Path");
                        resolved.AddRange(matches);
                    }
                }
                catch (Exception e) when (e is ItemNotFoundException || e is System.Management.Automation.DriveNotFoundException || e is ProviderNotFoundException || e is NotSupportedException || e is ArgumentException)
                {
                    fail(new KmsException(KmsErrorCodes.NotFound, $"There is no file '{given}': {e.Message}", "Path"), given);
                    continue;
                }
                catch (KmsException e)
                {
                    fail(e, given);
                    continue;
                }
                foreach (string path in resolved)
                {
                    if (Directory.Exists(path))
                    {
                        fail(new KmsException(KmsErrorCodes.Validation,
                            $"'{path}' is a folder. To encrypt the files in it, pipe them: Get-ChildItem '{path}' -File -Recurse | {_cmdlet.MyInvocation.MyCommand.Name} ...", "Path"), path);
                        continue;
                    }
                    yield return path;
                }
            }
        }

        /// <summary>Where an input goes; checks, before any work, that it may be written.</summary>
        public string DestinationFor(string input, string destination, string suffix, bool encrypting, bool force)
        {
            string Named(string path) => encrypting ? path + suffix : WithoutSuffix(path, suffix);
            string target;
            if (destination == null) target = Named(input);
            else
            {
                string resolved = _cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(destination);
                bool folder = Directory.Exists(resolved) || destination.EndsWith("/", StringComparison.Ordinal) || destination.EndsWith("\\", StringComparison.Ordinal);
                if (folder && !Directory.Exists(resolved))
                    throw new KmsException(KmsErrorCodes.NotFound, $"The destination folder '{resolved}' does not exist.", "Destination");
                target = folder ? Path.Combine(resolved, Named(Path.GetFileName(input))) : resolved;
            }
            string full = Path.GetFullPath(target);
            if (string.Equals(full, Path.GetFullPath(input), StringComparison.Ordinal))
                throw new KmsException(KmsErrorCodes.Validation, $"'{input}' would be written over itself; give -Destination, or a -Suffix.", "Destination");
            if (!_written.Add(full))
                throw new KmsException(KmsErrorCodes.AlreadyExists,
                    $"'{target}' was already written by this command for another input; give -Destination a folder to write several files.", "Destination");
            if (Directory.Exists(target))
                throw new KmsException(KmsErrorCodes.AlreadyExists, $"'{target}' is a folder; nothing was written.", "Destination");
            if (File.Exists(target) && !force)
                throw new KmsException(KmsErrorCodes.AlreadyExists, $"'{target}' already exists; use -Force to replace it. Nothing was written.", "Destination");
            string parent = Path.GetDirectoryName(full);
            if (!Directory.Exists(parent))
                throw new KmsException(KmsErrorCodes.NotFound, $"The folder '{parent}' does not exist.", "Destination");
            return target;
        }

        private static string WithoutSuffix(string path, string suffix) =>
            !string.IsNullOrEmpty(suffix) && path.EndsWith(suffix, StringComparison.Ordinal) && path.Length > suffix.Length
                ? path.Substring(0, path.Length - suffix.Length)
                : path + ".decrypted";
    }
}
