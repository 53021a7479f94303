import { Module } from '@nestjs/common';
import { IDENTITY_PROVIDER, PasswordIdentityProvider } from './identity-provider';
import { People } from './people.service';
import { Sessions } from './sessions';
import { UsersRepository } from './users.repository';

/** The people who use the console: their accounts, how they prove who they are, their sessions. */
@Module({
  providers: [
    UsersRepository,
    People,
    Sessions,
    { provide: IDENTITY_PROVIDER, useClass: PasswordIdentityProvider },
  ],
  exports: [People, Sessions, IDENTITY_PROVIDER],
})
export class PeopleModule {}
