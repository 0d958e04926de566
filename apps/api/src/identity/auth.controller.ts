import { TOKENS } from './identity-views.schema';
import { Body, Controller, Headers, HttpCode, Post, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AuthService } from './auth.service';
import { LoginDto, LogoutDto, RefreshDto } from './dto/auth.dto';
import { BEARER_SCHEME } from './identity.decorators';
import { LoginRateLimitInterceptor } from './login-rate-limit.interceptor';

/** Sign-in with a password, token refresh, sign-out. */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @HttpCode(200)
  @UseInterceptors(LoginRateLimitInterceptor)
  @ApiOperation({ summary: 'Sign in with username (staff id) and password: an access token, a refresh token and who you are' })
  @ApiOkResponse({ description: 'The tokens and who you are', schema: TOKENS })
  @ApiUnauthorizedResponse({ description: 'Wrong password or unknown user (one answer for both)' })
  @ApiTooManyRequestsResponse({ description: 'Too many failed attempts for this username from this address (locked out for longer each time), or from this address for any username; Retry-After says when to try again' })
  login(@Body() dto: LoginDto) {
    return this.auth.login(dto.username, dto.password);
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'A new token pair for a refresh token, which stops working; using it again ends the session' })
  @ApiOkResponse({ description: 'The same body as sign-in', schema: TOKENS })
  @ApiUnauthorizedResponse({ description: 'Unknown, expired, already used (the session is then ended) or signed-out refresh token' })
  refresh(@Body() dto: RefreshDto) {
    return this.auth.refresh(dto.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  // No identity guard: an expired access token must still end its session.
  @ApiBearerAuth(BEARER_SCHEME)
  @ApiSecurity({})
  @ApiOperation({ summary: 'Sign out: ends the session of the refresh token given and of the access token, even an expired one; its tokens stop working at once' })
  @ApiNoContentResponse({ description: 'Signed out' })
  @ApiUnauthorizedResponse({ description: 'Neither a known refresh token nor an access token (expired is fine) signed by Teksin or the OIDC issuer' })
  async logout(@Body() dto: LogoutDto, @Headers('authorization') authorization: string | undefined): Promise<void> {
    await this.auth.logout(authorization, dto.refreshToken);
  }
}
