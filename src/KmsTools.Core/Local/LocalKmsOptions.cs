using System;
using System.Text.RegularExpressions;

namespace KmsTools.Local
{
    /// <summary>Where and as whom the local engine works.</summary>
    public sealed class LocalKmsOptions
    {
        public const string AccountIdEnvironmentVariable = "KMSTOOLS_ACCOUNT_ID";
        public const string CallerEnvironmentVariable = "KMSTOOLS_CALLER_PRINCIPAL";

        /// <summary>The account id of the local engine's ARNs when none is configured: the one AWS's own docs use.</summary>
        public const string DefaultAccountId = "111122223333";

        public string Home { get; set; }
        public string Region { get; set; }
        public string AccountId { get; set; }

        /// <summary>
        /// The principal the engine acts for (an IAM user, role or assumed-role ARN, or an account root), whose
        /// requests key policies and grants allow or deny; null for the account's root principal.
        /// </summary>
        public string CallerPrincipal { get; set; }

        /// <summary>Fills what is unset: KMSTOOLS_HOME or the OS data folder; the AWS region chain; KMSTOOLS_ACCOUNT_ID or the default.</summary>
        public static LocalKmsOptions Resolve(string region = null, string home = null, string accountId = null, string profileRegion = null)
        {
            var options = new LocalKmsOptions
            {
                Home = home ?? KmsToolsHome.Resolve(),
                Region = AwsRegion.Resolve(region, profileRegion),
                AccountId = accountId ?? Environment.GetEnvironmentVariable(AccountIdEnvironmentVariable),
                CallerPrincipal = Environment.GetEnvironmentVariable(CallerEnvironmentVariable),
            };
            if (string.IsNullOrWhiteSpace(options.CallerPrincipal)) options.CallerPrincipal = null;
            if (string.IsNullOrWhiteSpace(options.AccountId))
                options.AccountId = DefaultAccountId;
            options.Validate();
            return options;
        }

        public void Validate()
        {
            if (!AwsRegion.IsValid(Region))
                throw new KmsException(KmsErrorCodes.Validation,
                    $"'{Region}' is not a region name. Use a name such as us-east-1, eu-west-2 or cn-north-1.", "Region");
            if (AccountId == null || !Regex.IsMatch(AccountId, "^[0-9]{12}$"))
                throw new KmsException(KmsErrorCodes.Validation,
                    $"The local account id '{AccountId}' must be 12 digits; check ${AccountIdEnvironmentVariable}.", "AccountId");
            if (CallerPrincipal != null && !KeyPolicy.IsCallerPrincipal(CallerPrincipal))
                throw new KmsException(KmsErrorCodes.Validation,
                    $"The caller principal '{CallerPrincipal}' is not an IAM principal ARN such as arn:aws:iam::111122223333:role/app, arn:aws:sts::111122223333:assumed-role/app/session or arn:aws:iam::111122223333:root; check $env:{CallerEnvironmentVariable}.", "CallerPrincipal");
        }
    }
}
