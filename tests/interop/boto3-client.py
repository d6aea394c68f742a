"""boto3 against a KMS endpoint in one process: the whole data-key family, and errors as botocore's exception classes.
Prints one JSON document; the Pester test reads it."""
import json
import sys

import boto3

kms = boto3.client('kms', endpoint_url=sys.argv[1], region_name='us-west-2', aws_access_key_id='test', aws_secret_access_key='test')
out = {}
key = kms.create_key(Description='boto3')['KeyMetadata']
kms.create_alias(AliasName='alias/boto3', TargetKeyId=key['KeyId'])
context = {'purpose': 'boto3'}
data_key = kms.generate_data_key(KeyId='alias/boto3', KeySpec='AES_256', EncryptionContext=context)
out['data_key'] = kms.decrypt(CiphertextBlob=data_key['CiphertextBlob'], EncryptionContext=context)['Plaintext'] == data_key['Plaintext']
without = kms.generate_data_key_without_plaintext(KeyId='alias/boto3', NumberOfBytes=24)
out['without_plaintext_bytes'] = len(kms.decrypt(CiphertextBlob=without['CiphertextBlob'])['Plaintext'])
pair = kms.generate_data_key_pair(KeyId='alias/boto3', KeyPairSpec='ECC_NIST_P384', EncryptionContext=context)
out['pair_private_opens'] = kms.decrypt(CiphertextBlob=pair['PrivateKeyCiphertextBlob'], EncryptionContext=context)['Plaintext'] == pair['PrivateKeyPlaintext']
pair_without = kms.generate_data_key_pair_without_plaintext(KeyId='alias/boto3', KeyPairSpec='ECC_NIST_EDWARDS25519')
out['pair_without_spec'] = pair_without['KeyPairSpec']
encrypted = kms.encrypt(KeyId='alias/boto3', Plaintext=b'hello', EncryptionContext=context)
other = kms.create_key()['KeyMetadata']['KeyId']
moved = kms.re_encrypt(CiphertextBlob=encrypted['CiphertextBlob'], SourceEncryptionContext=context, DestinationKeyId=other)
opened = kms.decrypt(CiphertextBlob=moved['CiphertextBlob'])
out['re_encrypted'] = opened['Plaintext'] == b'hello' and opened['KeyId'].endswith(other)
out['key_arn_region'] = key['Arn'].split(':')[3]

def error_of(call):
    try:
        call()
    except kms.exceptions.ClientError as e:
        return type(e).__name__
    return None

out['errors'] = {
    'NotFound': error_of(lambda: kms.describe_key(KeyId='alias/missing')),
    'InvalidCiphertext': error_of(lambda: kms.decrypt(CiphertextBlob=data_key['CiphertextBlob'], EncryptionContext={'purpose': 'other'})),
    'AlreadyExists': error_of(lambda: kms.create_alias(AliasName='alias/boto3', TargetKeyId=key['KeyId'])),
    'UnsupportedOperation': error_of(lambda: kms.describe_custom_key_stores()),
}
kms.disable_key(KeyId=key['KeyId'])
out['errors']['Disabled'] = error_of(lambda: kms.generate_data_key(KeyId=key['KeyId'], KeySpec='AES_128'))
print(json.dumps(out))
