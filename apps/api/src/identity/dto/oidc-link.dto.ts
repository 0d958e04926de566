import { Text } from '../../common/text-fields';

export class OidcLinkDto {
  @Text(500, { example: 'https://sso.example.gov.tr/realms/mersin', description: 'The identity provider’s issuer (its tokens’ iss): must be the configured OIDC_ISSUER' })
  issuer: string;

  @Text(255, { example: '8f14e45f-ceea-467f-a0e6-0123456789ab', description: 'The account’s subject at that issuer (its tokens’ sub: stable, never reassigned; not a username)' })
  subject: string;
}
