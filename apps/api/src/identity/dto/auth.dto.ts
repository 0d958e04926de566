import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, MaxLength, MinLength } from 'class-validator';
import { Text } from '../../common/text-fields';

export class LoginDto {
  @Text(200, { example: 'coord.ayse', description: 'The staff id (demo accounts: see the README)' })
  username: string;

  @ApiProperty({ example: 'teksin-demo', minLength: 1, maxLength: 1024 })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password: string;
}

export class RefreshDto {
  @ApiProperty({ description: 'The refresh token from the last sign-in or refresh (each works once)' })
  @IsString()
  @Length(1, 512)
  refreshToken: string;
}

export class LogoutDto {
  @ApiPropertyOptional({ description: 'Sign out the session of this refresh token (when the access token has expired)' })
  @IsOptional()
  @IsString()
  @Length(1, 512)
  refreshToken?: string;
}
