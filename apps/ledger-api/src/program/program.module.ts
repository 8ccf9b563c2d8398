import { Module } from '@nestjs/common';
import { ConfigureProgramHandler } from './configure-program.handler';
import { ProgramController } from './program.controller';

@Module({ controllers: [ProgramController], providers: [ConfigureProgramHandler] })
export class ProgramModule {}
